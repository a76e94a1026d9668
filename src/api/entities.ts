import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { coerceError } from '../errors.js';
import { emptyEntityState } from '../incoming/canonical-state.js';
import { makeEntityFeed } from '../services/entity-feed.js';
import { entityView, getEntity, latestEntityChange, requireEntityVisible } from '../services/entities.js';
import { stringifyExact } from '../util/lossless-json.js';
import type { ApiDeps } from './deps.js';
import { IdParams, errorsFor } from './schemas.js';
import type { App } from './server.js';

export const HEARTBEAT_MS = 15_000;

const Config = Type.Record(Type.String(), Type.Unknown());
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Entity = Type.Object({
  id: Type.String(),
  resources: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.String(),
      name: Nullable(Type.String()),
      status: Type.String(),
      config: Config,
      updated_at: Type.String(),
    }),
  ),
  interfaces: Type.Array(
    Type.Object({ type: Type.String(), resource_id: Type.String(), name: Nullable(Type.String()), config: Config }),
  ),
  updated_at: Nullable(Type.String()),
}, {
  description: 'The entity as its backends last reported it; configs keep their numbers as sent',
  examples: [
    {
      id: 'srv-1',
      resources: [{ id: 'vm-42', type: 'VM', name: 'web-1', status: 'READY', config: { cpus: 4, memory_mb: 8192 }, updated_at: '2026-12-01T11:39:02.114Z' }],
      interfaces: [{ type: 'TERMINAL', resource_id: 'vm-42', name: 'console', config: { host: '203.0.113.7', port: 22 } }],
      updated_at: '2026-12-01T11:39:02.114Z',
    },
  ],
});

const StreamQuery = Type.Object({
  token: Type.Optional(Type.String({ description: 'the admin token, for clients such as EventSource that cannot send headers' })),
  last_event_id: Type.Optional(Type.String({ description: 'as the Last-Event-ID header, for clients that cannot send it' })),
});

/** The seq a reconnecting client saw last; anything but a plain integer starts the stream afresh. */
function lastEventId(header: string | string[] | undefined, query: string | undefined): number | null {
  const raw = header ?? query;
  const text = Array.isArray(raw) ? raw[0] : raw;
  return text !== undefined && /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : null;
}

export function entityRoutes(app: App, { ctx }: ApiDeps): void {
  const tags = ['entities'];
  const feed = makeEntityFeed(ctx);
  const readEntities = app.allow('entities:read');
  /** Open streams, ended when the server closes: an open response would otherwise hold the close forever. */
  const streams = new Set<() => void>();
  // preClose, not onClose: fastify waits for open responses before it runs onClose hooks.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
    feed.close();
  });

  app.get(
    '/v1/entities/:id',
    { onRequest: readEntities, schema: { tags, summary: "Get an entity's state", description: 'What the backends reported through POST /v1/incoming, merged: its resources and interfaces.', params: IdParams, response: { 200: Entity, ...errorsFor(401, 404) } } },
    // Written by stringifyExact, not the schema's serializer: configs hold numbers as the backend wrote them.
    async (req, reply) => {
      const entity = await getEntity(ctx, req.params.id, await app.principal(req));
      return reply.serializer(stringifyExact).send(entity);
    },
  );

  app.get(
    '/v1/entities/:id/stream',
    {
      // EventSource cannot set headers, so this route alone also takes the token (or key) from the query string.
      onRequest: async (req) => {
        const { token } = req.query as { token?: string };
        if (req.headers.authorization === undefined && token) req.headers.authorization = `Bearer ${token}`;
        await readEntities(req);
        // Refused before the stream opens, so another tenant's entity is a plain 404 rather than an empty stream.
        await requireEntityVisible(ctx, (req.params as { id: string }).id, await app.principal(req));
      },
      schema: {
        tags,
        summary: "Follow an entity's state (Server-Sent Events)",
        description:
          'The state now, then every change as it is applied. Each event is `event: state`, `id: <change seq>`, `data: <the entity as GET /v1/entities/:id shows it>`. The first event is the current state (id 0 and empty while nothing was reported). With Last-Event-ID, only the changes after it are sent. A comment line every 15 s keeps proxies from closing the stream.',
        params: IdParams,
        querystring: StreamQuery,
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'A stream of `state` events', examples: ['id: 7\nevent: state\ndata: {"id":"srv-1","resources":[],"interfaces":[],"updated_at":null}\n\n'] }), ...errorsFor(401) },
      },
    },
    async (req, reply) => openStream(req.params.id, lastEventId(req.headers['last-event-id'], req.query.last_event_id), req, reply),
  );

  async function openStream(entityId: string, resumeAfter: number | null, req: FastifyRequest, reply: FastifyReply) {
    reply.hijack();
    const res = reply.raw;
    let closed = false;
    let unwatch = () => {};
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const end = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unwatch();
      streams.delete(end);
      res.end();
    };
    streams.add(end);
    res.on('close', end);
    const send = (seq: number, payload: string) => {
      if (!closed) res.write(`id: ${seq}\nevent: state\ndata: ${payload}\n\n`);
    };
    try {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let after = resumeAfter;
      if (after === null) {
        const latest = await latestEntityChange(ctx, entityId);
        after = latest?.seq ?? 0;
        send(after, latest?.payload ?? JSON.stringify(entityView(entityId, emptyEntityState(), null)));
      }
      if (!closed) unwatch = feed.watch(entityId, after, (c) => send(c.seq, c.payload));
    } catch (e) {
      req.log.error({ err: coerceError(e), entity_id: entityId }, 'entity stream failed');
      end();
    }
  }
}
