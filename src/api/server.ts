import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Logger } from 'pino';
import { HeraldError, invalid, type Problem } from '../errors.js';
import { newId } from '../ids.js';
import { jsonErrorPlace } from './json-error-position.js';
import { guard, makePrincipalResolver, type KeyPrincipal } from './principal.js';
import type { Principal, Scope } from '../services/principal.js';
import { mayHoldUnstorableText, unstorableText } from './refuse-unstorable.js';

export type App = FastifyInstance<any, any, any, Logger, TypeBoxTypeProvider>;

/** Each JSON request body's text as sent, for routes that carry a publisher's values on without re-serialising. */
const bodyTexts = new WeakMap<FastifyRequest, string>();

export function bodyText(req: FastifyRequest): string | undefined {
  return bodyTexts.get(req);
}

/** Nesting beyond this is refused before parsing: a body cannot make Herald recurse without bound. */
export const MAX_JSON_DEPTH = 64;

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

function ajvProblems(errors: NonNullable<FastifyError['validation']>, context: string | undefined): Problem[] {
  const base = context === 'body' || context === undefined ? '' : `/${context}`;
  return errors.map((e) => {
    const params = e.params as Record<string, unknown>;
    let path = base + e.instancePath;
    let message = e.message ?? 'is invalid';
    let allowed: string[] | undefined;
    if (e.keyword === 'required') path += `/${String(params.missingProperty)}`;
    if (e.keyword === 'additionalProperties') {
      path += `/${String(params.additionalProperty)}`;
      message = 'is not a known field';
    }
    if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      allowed = params.allowedValues.map(String);
      message = `must be one of ${allowed.join(', ')}`;
    }
    if (e.keyword === 'const') {
      allowed = [String(params.allowedValue)];
      message = `must be ${allowed[0]}`;
    }
    return { path, message, ...(allowed ? { allowed } : {}) };
  });
}

/** One path is the other or inside it: the schema's problem already says what the extra one would. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function makeAjv(coerceTypes: false | 'array') {
  const ajv = new AjvModule.default({ allErrors: true, coerceTypes, removeAdditional: false, useDefaults: true, strict: false });
  addFormatsModule.default(ajv);
  return ajv;
}

export interface ServerOptions {
  logger: Logger;
  adminToken: string;
  /** Resolves tenant API keys; without it only the admin token is accepted. */
  keyPrincipal?: KeyPrincipal;
  bodyLimit?: number;
}

export async function buildServer({ logger, adminToken, keyPrincipal, bodyLimit = 1024 * 1024 }: ServerOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit,
    genReqId: () => newId('req'),
    // One line per request, written when it completes (below), instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // Bodies are JSON and must carry the declared types ("5" is not 5); query strings and path parameters are
  // text by nature, so their numbers and booleans are coerced.
  const strictAjv = makeAjv(false);
  const coercingAjv = makeAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema));
  // Response schemas document; they do not filter. A schema-compiled serializer would drop any member the
  // schema does not list and write numbers its own way; answers are written as the routes built them (routes
  // that hold exact numbers set stringifyExact), and a test holds the schemas to what is sent.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // JSON only, parsed here so errors carry their position and absurd nesting is refused up front.
  app.removeAllContentTypeParsers();
  // Fatal decoding: a body that is not UTF-8 is refused, rather than stored with replacement characters.
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  // Bodies the JSON parser has already checked for unstorable text; other bodies are checked before validation.
  const textChecked = new WeakSet<FastifyRequest>();
  const parseJson = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    let text: string;
    try {
      text = typeof body === 'string' ? body : utf8.decode(body);
    } catch {
      return done(new HeraldError('malformed_json', 'request body is not valid UTF-8'), undefined);
    }
    if (text.trim() === '') return done(new HeraldError('malformed_json', 'request body is empty; expected JSON'), undefined);
    if (nestingDepth(text) > MAX_JSON_DEPTH) {
      return done(new HeraldError('invalid', `JSON nests deeper than ${MAX_JSON_DEPTH} levels`, [{ path: '', message: `nesting deeper than ${MAX_JSON_DEPTH}` }]), undefined);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const at = jsonErrorPlace(text);
      const reason = (e as Error).message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
      return done(new HeraldError('malformed_json', `malformed JSON at position ${at.offset} (line ${at.line}, column ${at.column}): ${reason}`), undefined);
    }
    const problem = mayHoldUnstorableText(text) ? unstorableText(value) : null;
    if (problem) return done(invalid([problem]), undefined);
    textChecked.add(req);
    bodyTexts.set(req, text);
    done(null, value);
  };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJson);
  app.addContentTypeParser(/^application\/[\w.+-]*\+json$/, { parseAs: 'buffer' }, parseJson);

  // Path parameters and query strings reach the store as filters, and on PostgreSQL a NUL there fails the query.
  app.addHook('preValidation', async (req) => {
    const problem =
      unstorableText(req.params, '/params') ??
      unstorableText(req.query, '/querystring') ??
      (req.body !== undefined && !textChecked.has(req) ? unstorableText(req.body) : null);
    if (problem) throw invalid([problem]);
  });

  app.setErrorHandler((err: FastifyError | HeraldError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HeraldError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (err.validation) {
      const details = ajvProblems(err.validation, err.validationContext);
      const more = err.validationContext === 'body' ? req.routeOptions.config.moreProblems?.(req.body) : undefined;
      for (const p of more ?? []) if (!details.some((d) => overlaps(d.path, p.path))) details.push(p);
      const message = details.length === 1 ? `${details[0]!.path || 'body'}: ${details[0]!.message}` : `${details.length} problems in the request`;
      return reply.code(422).send({ error: { code: 'invalid', message, details } });
    }
    const known: Record<string, [number, string]> = {
      FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
      FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request'],
      FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json'],
    };
    const mapped = err.code ? known[err.code] : undefined;
    if (mapped) {
      const message =
        mapped[0] === 415
          ? `unsupported content type ${JSON.stringify(req.headers['content-type'] ?? '')}; send application/json`
          : mapped[0] === 413
            ? `request body is larger than the ${Math.round((req.routeOptions.bodyLimit ?? bodyLimit) / 1024)} KiB limit${req.routeOptions.url === '/v1/events' ? ' (HERALD_MAX_BODY_BYTES)' : ''}`
            : err.message;
      return reply.code(mapped[0]).send({ error: { code: mapped[1], message, details: [] } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: { code: 'bad_request', message: err.message, details: [] } });
    }
    const unavailable = isStoreUnavailable(err);
    req.log.error({ err }, unavailable ? 'store unavailable' : 'unhandled error');
    if (unavailable) {
      return reply.code(503).header('retry-after', '1').send({ error: { code: 'unavailable', message: 'the store is unavailable; try again', details: [] } });
    }
    return reply.code(500).send({ error: { code: 'internal', message: `internal error (request ${req.id})`, details: [] } });
  });

  // A callback hook and a level check: this runs for every request, and at a quieter level the line is not even built.
  app.addHook('onResponse', (req, reply, done) => {
    if ((req.log as Logger).isLevelEnabled('info')) {
      req.log.info({ method: req.method, url: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    }
    done();
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}`, details: [] } });
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Herald',
        version: '0.1.0',
        description:
          'Webhook notification service for platforms. Send `Authorization: Bearer <HERALD_ADMIN_TOKEN>` on every call but POST /v1/incoming. Errors answer `{"error": {"code", "message", "details"}}`; a 422 lists every problem, each with the field (`path`) and, where there is a choice, the `allowed` values.',
      },
      tags: [
        { name: 'events', description: 'Publish events and follow a message to its receivers' },
        { name: 'endpoints', description: 'Receivers: where events are sent and in which format' },
        { name: 'subscriptions', description: 'Which events reach which endpoint' },
        { name: 'topics', description: 'Named groups of events, with the templates cloudpods endpoints render' },
        { name: 'deliveries', description: 'Each message on its way to each endpoint, with every attempt' },
        { name: 'incoming', description: 'What receivers report back about the entities of a message' },
        { name: 'portal-sessions', description: 'Links that let a tenant manage its own endpoints in the portal' },
        { name: 'api-keys', description: "Keys for a tenant's services: each acts within its tenant and its scopes only" },
        { name: 'entities', description: 'The state of entities as receivers reported it' },
      ],
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' }, callback: { type: 'http', scheme: 'bearer', description: '<callback.user>:<callback.key>' } } },
      security: [{ admin: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const principalOf = makePrincipalResolver(adminToken, keyPrincipal);
  app.decorate('principal', principalOf);
  app.decorate('allow', (scope: Scope) => guard(principalOf, scope));
  app.decorate('requireAdmin', guard(principalOf, 'admin'));

  return app;
}

/** Connection-level failures of either database: the client gets a 503 and should retry, never a false 2xx. */
export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: unknown };
  const code = e?.code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', '53300', 'SQLITE_BUSY', 'SQLITE_IOERR', 'SQLITE_FULL'].includes(code)) return true;
  const msg = e?.message ?? '';
  if (/Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(msg)) return true;
  return e?.cause ? isStoreUnavailable(e.cause) : false;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route's own checks of a body its schema refused, run on what the body got right so that one answer
     * names every problem, not only the schema's.
     */
    moreProblems?: (body: unknown) => Problem[];
  }
  interface FastifyInstance {
    requireAdmin: (req: FastifyRequest) => Promise<void>;
    /** A guard for routes a tenant's credentials may use with this scope (the admin token always may). */
    allow: (scope: Scope) => (req: FastifyRequest) => Promise<void>;
    /** Who sent the request, resolved once per request. */
    principal: (req: FastifyRequest) => Promise<Principal>;
  }
}
