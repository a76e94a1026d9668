import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown; example?: unknown; examples?: unknown }> }>;
}

async function openapi(h: TestHerald): Promise<{ paths: Record<string, Record<string, Operation>>; tags?: Array<{ name: string }> }> {
  const res = await fetch(`${h.url}/openapi.json`);
  assert.equal(res.status, 200);
  return (await res.json()) as never;
}

function operations(spec: Awaited<ReturnType<typeof openapi>>) {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, method, op })),
  );
}

/** The declared schema of `status` for the operation `method path` (OpenAPI path syntax), as a validator. */
function validatorFor(spec: Awaited<ReturnType<typeof openapi>>, method: string, path: string, status: number) {
  const schema = spec.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
  assert.ok(schema, `${method.toUpperCase()} ${path} declares a ${status} schema`);
  const ajv = new AjvModule.default({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  return ajv.compile(schema as object);
}

describe('the OpenAPI document', () => {
  it('gives every operation a summary, a tag, typed responses with examples, and speaks to users', async () => {
    const h = await startTestHerald('sqlite');
    try {
      const spec = await openapi(h);
      const ops = operations(spec);
      assert.ok(ops.length >= 30, `found ${ops.length} operations`);
      const declaredTags = new Set((spec.tags ?? []).map((t) => t.name));
      const problems: string[] = [];
      for (const { name, op } of ops) {
        if (!op.summary?.trim()) problems.push(`${name}: no summary`);
        if (!op.tags?.length || !op.tags.every((t) => declaredTags.has(t))) problems.push(`${name}: no declared tag`);
        const statuses = Object.keys(op.responses ?? {});
        const success = statuses.filter((s) => /^2\d\d$/.test(s));
        if (success.length === 0) problems.push(`${name}: no success response (only ${statuses.join(', ') || 'none'})`);
        if (!statuses.includes('401') && name !== 'GET /healthz') problems.push(`${name}: no 401 documented`);
        for (const [status, res] of Object.entries(op.responses ?? {})) {
          if (!res.description || res.description === 'Default Response') problems.push(`${name} ${status}: no description`);
          if (status === '204') continue;
          const media = res.content && Object.values(res.content)[0];
          if (!media?.schema) problems.push(`${name} ${status}: no schema`);
          else if (media.example === undefined && media.examples === undefined) problems.push(`${name} ${status}: no example`);
          if (/^4\d\d$/.test(status)) {
            const example = media?.example as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
            if (typeof example?.error?.code !== 'string' || !Array.isArray(example.error.details)) problems.push(`${name} ${status}: the example is not an error body`);
          }
        }
      }
      assert.deepEqual(problems, []);

      const text = JSON.stringify(spec);
      assert.doesNotMatch(text, /seed 0|\bseed\b|additionalProp1/i, 'descriptions speak of Herald, not of how it was specified');

      const publish = spec.paths['/v1/events']!.post!.responses['202']!.content!['application/json']!;
      assert.match(String((publish.example as { id?: unknown }).id), /^msg_/, 'the publish example is a real answer');
      assert.equal(typeof (publish.example as { deliveries?: unknown }).deliveries, 'number');

      // The examples are held to the schemas they illustrate.
      for (const { name, path, method, op } of ops) {
        for (const [status, res] of Object.entries(op.responses ?? {})) {
          const media = res.content?.['application/json'];
          if (!media?.schema || media.example === undefined) continue;
          const validate = validatorFor(spec, method, path, Number(status));
          assert.ok(validate(media.example), `${name} ${status}: its example fits its schema: ${JSON.stringify(validate.errors)}`);
        }
      }
    } finally {
      await h.stop();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`answers fit the documented schemas (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('endpoints, subscriptions, topics, events, deliveries, messages and errors', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const spec = await openapi(h);
        const check = (method: string, path: string, res: { status: number; json: unknown; text: string }, status: number) => {
          assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
          const validate = validatorFor(spec, method, path, status);
          assert.ok(validate(res.json), `${method.toUpperCase()} ${path} ${status} fits its schema: ${JSON.stringify(validate.errors)}\n${res.text}`);
        };

        const ep = await h.api('POST', '/v1/endpoints', { name: 'ops', url: r.url, format: 'standard', headers: { 'X-Team': 'ops' } });
        check('post', '/v1/endpoints', ep, 201);
        check('get', '/v1/endpoints', await h.api('GET', '/v1/endpoints'), 200);
        check('get', '/v1/endpoints/{id}', await h.api('GET', `/v1/endpoints/${ep.json.id}`), 200);
        check('post', '/v1/endpoints/{id}/rotate-secret', await h.api('POST', `/v1/endpoints/${ep.json.id}/rotate-secret`), 200);
        const callback = await h.api('POST', `/v1/endpoints/${ep.json.id}/rotate-callback-key`);
        check('post', '/v1/endpoints/{id}/rotate-callback-key', callback, 200);
        check('post', '/v1/endpoints/{id}/recover', await h.api('POST', `/v1/endpoints/${ep.json.id}/recover`, { since: '2h' }), 200);

        const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        check('post', '/v1/subscriptions', sub, 201);
        check('get', '/v1/subscriptions', await h.api('GET', '/v1/subscriptions'), 200);

        const topic = await h.api('POST', '/v1/topics', { name: 'servers', events: ['SERVER/CREATE'], title_en: 'Server {{.name}}' });
        check('post', '/v1/topics', topic, 201);
        check('get', '/v1/topics', await h.api('GET', '/v1/topics?limit=2'), 200);
        check('post', '/v1/topics/{id}/preview', await h.api('POST', `/v1/topics/${topic.json.id}/preview`, { event: { type: 'SERVER', action: 'CREATE', data: { name: 'web-1' } } }), 200);

        const one = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_1'], data: { n: 1 } });
        check('post', '/v1/events', one, 202);
        check('post', '/v1/events', await h.api('POST', '/v1/events', { events: [{ type: 'CLASS', action: 'UPDATED' }] }), 202);
        check('get', '/v1/event-types', await h.api('GET', '/v1/event-types'), 200);
        check('post', '/v1/event-types', await h.api('POST', '/v1/event-types', { type: 'BACKUP', actions: ['START'] }), 201);

        await r.waitFor(2);
        const delivered = await until(async () => {
          const page = await h.api('GET', '/v1/deliveries?status=succeeded&since=1h');
          return page.json.data.length === 2 ? page : null;
        });
        check('get', '/v1/deliveries', delivered, 200);
        check('get', '/v1/deliveries/{id}', await h.api('GET', `/v1/deliveries/${delivered.json.data[0].id}`), 200);
        check('get', '/v1/messages/{id}', await h.api('GET', `/v1/messages/${one.json.id}`), 200);
        const report = { source_message_id: one.json.id, type: 'RESOURCE', action: 'CREATED', data: { resources: [{ id: 'vm-1', type: 'VM', status: 'READY', config: { cpus: 4 } }] } };
        const reported = await h.api('POST', '/v1/incoming', report, { authorization: `Bearer ${callback.json.user}:${callback.json.key}` });
        check('post', '/v1/incoming', reported, 200);
        check('get', '/v1/incoming', await h.api('GET', '/v1/incoming'), 200);
        check('get', '/v1/entities/{id}', await h.api('GET', '/v1/entities/cls_1'), 200);

        check('post', '/v1/endpoints', await h.api('POST', '/v1/endpoints', { name: 'bad', url: 'ftp://example.com/', format: 'standard' }), 422);
        check('get', '/v1/endpoints/{id}', await h.api('GET', '/v1/endpoints/ep_missing'), 404);
        check('get', '/v1/endpoints', await h.api('GET', '/v1/endpoints', undefined, { authorization: 'nope' }), 401);
        check('post', '/v1/events', await h.api('POST', '/v1/events', '{"type":'), 400);
        check('post', '/v1/topics', await h.api('POST', '/v1/topics', { name: 'servers', events: ['SERVER/DELETE'] }), 409);
        const deleted = await h.api('DELETE', `/v1/subscriptions/${sub.json.id}`);
        assert.equal(deleted.status, 204);
        assert.equal(deleted.text, '');
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('documenting a response does not filter it: exact numbers in an endpoint body come back as sent', async () => {
      const h = await startTestHerald(dialect);
      try {
        const sent = '{"name":"cp","url":"http://127.0.0.1:9/hook","format":"cloudpods","validate":false,"body":{"big":12345678901234567890123,"price":1.50,"nested":{"e":1e400}}}';
        const created = await h.api('POST', '/v1/endpoints', sent);
        assert.equal(created.status, 201, created.text);
        assert.ok(created.text.includes('"body":{"big":12345678901234567890123,"price":1.50,"nested":{"e":1e400}}'), created.text);
        const read = await h.api('GET', `/v1/endpoints/${created.json.id}`);
        assert.ok(read.text.includes('"body":{"big":12345678901234567890123,"price":1.50,"nested":{"e":1e400}}'), read.text);
      } finally {
        await h.stop();
      }
    });
  });
}
