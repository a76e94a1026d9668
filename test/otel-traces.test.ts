import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

/** A span as an OTLP/JSON export carries it, attributes flattened to plain values. */
interface CapturedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
  status: { code?: number };
  service: unknown;
}

function valueOf(v: any): unknown {
  if (v === undefined || v === null) return null;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(valueOf);
  return v;
}

function attributesOf(list: any[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));
}

const nanosToMs = (n: string | number) => Number(BigInt(n) / 1_000_000n);

/** A tiny OTLP/HTTP collector on loopback: keeps every span of every JSON export, and what each request was. */
async function startCollector() {
  const spans: CapturedSpan[] = [];
  const requests: { path: string; contentType: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      requests.push({ path: req.url ?? '', contentType });
      if (contentType.startsWith('application/json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const rs of body.resourceSpans ?? []) {
          const resource = attributesOf(rs.resource?.attributes);
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                name: s.name,
                kind: s.kind,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                startMs: nanosToMs(s.startTimeUnixNano),
                endMs: nanosToMs(s.endTimeUnixNano),
                attributes: attributesOf(s.attributes),
                links: (s.links ?? []).map((l: any) => ({ traceId: l.traceId, spanId: l.spanId })),
                status: s.status ?? {},
                service: resource['service.name'],
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

// OTLP/JSON span kinds.
const SERVER = 2;
const CLIENT = 3;

const PUBLISHER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PUBLISHER_SPAN = '00f067aa0ba902b7';

for (const dialect of DIALECTS) {
  describe(`OpenTelemetry traces (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('exports publish -> attempt spans in the publisher\'s trace, a callback span linked to it, and sends traceparent only to endpoints that opted in', async () => {
      const collector = await startCollector();
      let credentials = { user: '', key: '' };
      const callbacks: number[] = [];
      // Opted in; fails its first attempt, then answers and reports back on its callback.
      const traced = await startReceiver(async (req, index) => {
        if (index === 0) return { status: 500, body: 'not yet' };
        const envelope = JSON.parse(req.body);
        const res = await fetch(envelope.callback, {
          method: 'POST',
          headers: { authorization: `Bearer ${credentials.user}:${credentials.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            source_message_id: envelope.message_id,
            type: 'RESOURCE',
            action: 'CREATED',
            data: { resources: [{ id: 'vm-1', type: 'VM', name: 'vm', status: 'READY' }], interfaces: [] },
          }),
        });
        callbacks.push(res.status);
        return { status: 200 };
      });
      // Not opted in: a strigo receiver that must see only the headers it always did.
      const plain = await startReceiver(() => ({ status: 200 }));
      const t = await startTestHerald(dialect, {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      });
      try {
        const refused = await t.api('POST', '/v1/endpoints', { name: 'bad', url: plain.url, format: 'strigo', trace_context: 'yes' });
        assert.equal(refused.status, 422, refused.text);
        assert.match(refused.text, /trace_context/);

        const a = await t.api('POST', '/v1/endpoints', { name: 'traced', url: traced.url, format: 'strigo', tenant: 'acme', trace_context: true });
        assert.equal(a.status, 201, a.text);
        assert.equal(a.json.trace_context, true);
        credentials = { user: a.json.callback.user, key: a.json.callback.key };
        const b = await t.api('POST', '/v1/endpoints', { name: 'plain', url: plain.url, format: 'strigo', tenant: 'acme' });
        assert.equal(b.status, 201, b.text);
        assert.equal(b.json.trace_context, false);
        for (const ep of [a, b]) {
          const sub = await t.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
          assert.equal(sub.status, 201, sub.text);
        }

        const published = await t.api(
          'POST',
          '/v1/events',
          { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_otel_1'], tenant: 'acme' },
          { traceparent: `00-${PUBLISHER_TRACE}-${PUBLISHER_SPAN}-01` },
        );
        assert.equal(published.status, 202, published.text);
        const messageId: string = published.json.id;

        await traced.waitFor(2, 15_000);
        await plain.waitFor(1, 15_000);
        await until(async () => callbacks.length === 1, 15_000, 'the callback answered');
        assert.deepEqual(callbacks, [200]);

        // The message keeps the publish's context in the store.
        const stored = await t.herald.ctx.store.db.selectFrom('messages').select('traceparent').where('id', '=', messageId).executeTakeFirstOrThrow();
        assert.match(stored.traceparent ?? '', new RegExp(`^00-${PUBLISHER_TRACE}-[0-9a-f]{16}-01$`));

        const spans = await until(
          async () => {
            const names = collector.spans.map((s) => s.name);
            return names.filter((n) => n === 'deliver').length >= 3 && names.includes('POST /v1/incoming') && names.includes('POST /v1/events') ? collector.spans : null;
          },
          15_000,
          'the spans to be exported',
        );

        const publish = spans.find((s) => s.name === 'POST /v1/events')!;
        assert.equal(publish.kind, SERVER);
        assert.equal(publish.service, 'herald');
        assert.equal(publish.traceId, PUBLISHER_TRACE, 'the publish span joins the trace the publisher sent');
        assert.equal(publish.parentSpanId, PUBLISHER_SPAN, 'the publish span is a child of the publisher\'s span');
        assert.equal(stored.traceparent, `00-${publish.traceId}-${publish.spanId}-01`);
        assert.equal(publish.attributes['herald.event.type'], 'ONDEMAND_ENROLLMENT');
        assert.equal(publish.attributes['herald.tenant'], 'acme');
        assert.equal(publish.attributes['herald.message.id'], messageId);
        assert.deepEqual(publish.attributes['herald.message.ids'], [messageId]);
        assert.equal(publish.attributes['herald.deliveries'], 2);
        assert.equal(publish.attributes['http.response.status_code'], 202);

        const attempts = spans.filter((s) => s.name === 'deliver');
        assert.equal(attempts.length, 3, 'two attempts to the traced endpoint, one to the plain one');
        for (const s of attempts) {
          assert.equal(s.kind, CLIENT);
          assert.equal(s.traceId, PUBLISHER_TRACE, 'every attempt belongs to the publish\'s trace');
          assert.equal(s.parentSpanId, publish.spanId, 'every attempt is a child of the publish span');
          assert.equal(s.attributes['herald.message.id'], messageId);
          assert.equal(s.attributes['herald.endpoint.format'], 'strigo');
          assert.ok(s.endMs >= s.startMs);
        }
        const toTraced = attempts.filter((s) => s.attributes['herald.endpoint.id'] === a.json.id).sort((x, y) => Number(x.attributes['herald.attempt']) - Number(y.attributes['herald.attempt']));
        assert.deepEqual(toTraced.map((s) => s.attributes['herald.attempt']), [1, 2]);
        assert.deepEqual(toTraced.map((s) => s.attributes['http.response.status_code']), [500, 200]);
        assert.deepEqual(toTraced.map((s) => s.attributes['error.type'] ?? null), ['http', null]);
        assert.deepEqual(toTraced.map((s) => s.attributes['herald.delivery.status']), ['pending', 'succeeded']);
        assert.deepEqual(toTraced.map((s) => s.status.code ?? 0), [2, 0], 'the failed attempt is marked as an error');
        const toPlain = attempts.filter((s) => s.attributes['herald.endpoint.id'] === b.json.id);
        assert.equal(toPlain.length, 1);
        assert.equal(toPlain[0]!.attributes['http.response.status_code'], 200);

        // The opted-in receiver got a traceparent naming the attempt's own span, each attempt a new one.
        const sentHeaders = traced.received.map((r) => r.headers.traceparent);
        assert.deepEqual(sentHeaders, toTraced.map((s) => `00-${PUBLISHER_TRACE}-${s.spanId}-01`));
        // The other did not.
        assert.equal(plain.received[0]!.headers.traceparent, undefined);
        assert.ok(!plain.received[0]!.rawHeaders.some((h) => h.toLowerCase() === 'traceparent'));

        const incoming = spans.find((s) => s.name === 'POST /v1/incoming')!;
        assert.equal(incoming.kind, SERVER);
        assert.equal(incoming.attributes['herald.endpoint.id'], a.json.id);
        assert.equal(incoming.attributes['herald.message.id'], messageId);
        assert.equal(incoming.attributes['http.response.status_code'], 200);
        assert.equal(incoming.attributes['herald.incoming.outcome'], 'applied');
        assert.deepEqual(incoming.links, [{ traceId: PUBLISHER_TRACE, spanId: publish.spanId }], 'the callback links to the message\'s publish');
        assert.ok(collector.requests.every((r) => r.path === '/v1/traces' && r.contentType.startsWith('application/json')));
      } finally {
        await t.stop();
        await traced.close();
        await plain.close();
        await collector.close();
      }
    });

    it('a malformed traceparent on publish is ignored: the publish starts its own trace', async () => {
      const collector = await startCollector();
      const t = await startTestHerald(dialect, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces`, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' });
      try {
        const res = await t.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_otel_2'] }, { traceparent: `00-${'0'.repeat(32)}-${PUBLISHER_SPAN}-01` });
        assert.equal(res.status, 202, res.text);
        const publish = await until(async () => collector.spans.find((s) => s.name === 'POST /v1/events'), 15_000, 'the publish span');
        assert.notEqual(publish.traceId, '0'.repeat(32));
        assert.match(publish.traceId, /^[0-9a-f]{32}$/);
        assert.equal(publish.parentSpanId, '');
        assert.equal(publish.attributes['herald.deliveries'], 0);
      } finally {
        await t.stop();
        await collector.close();
      }
    });

    it('an attempt sent by another process, after a restart, is still a child of the publish span read from the store', async () => {
      const collector = await startCollector();
      const receiver = await startReceiver(() => ({ status: 200 }));
      const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' };
      const api = await startTestHerald(dialect, { ...otel, HERALD_ROLE: 'api' });
      let worker: Awaited<ReturnType<typeof startTestHerald>> | null = null;
      try {
        const ep = await api.api('POST', '/v1/endpoints', { name: 'traced', url: receiver.url, format: 'standard', trace_context: true });
        assert.equal(ep.status, 201, ep.text);
        const sub = await api.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        assert.equal(sub.status, 201, sub.text);
        const res = await api.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_otel_4'] });
        assert.equal(res.status, 202, res.text);
        const publish = await until(async () => collector.spans.find((s) => s.name === 'POST /v1/events'), 15_000, 'the publish span');
        assert.equal(publish.parentSpanId, '', 'no traceparent was sent: the publish is a root span');
        await api.herald.close();
        assert.equal(receiver.received.length, 0, 'an api process sends nothing');

        worker = await startTestHerald(dialect, { ...otel, HERALD_ROLE: 'worker' }, api.db);
        await receiver.waitFor(1, 15_000);
        const attempt = await until(async () => collector.spans.find((s) => s.name === 'deliver'), 15_000, 'the attempt span');
        assert.equal(attempt.traceId, publish.traceId);
        assert.equal(attempt.parentSpanId, publish.spanId);
        assert.equal(attempt.attributes['herald.message.id'], res.json.id);
        assert.equal(receiver.received[0]!.headers.traceparent, `00-${publish.traceId}-${attempt.spanId}-01`);
      } finally {
        await worker?.herald.close();
        await api.stop();
        await receiver.close();
        await collector.close();
      }
    });

    it('exports OTLP/HTTP protobuf when no protocol is named (the specification\'s default)', async () => {
      const collector = await startCollector();
      const t = await startTestHerald(dialect, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '50' });
      try {
        const res = await t.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_otel_5'] });
        assert.equal(res.status, 202, res.text);
        const req = await until(async () => collector.requests[0], 15_000, 'an export');
        assert.equal(req.path, '/v1/traces');
        assert.equal(req.contentType, 'application/x-protobuf');
      } finally {
        await t.stop();
        await collector.close();
      }
    });

    it('a collector that is away costs nothing but its spans: deliveries go out and Herald stops on time', async () => {
      const gone = await startCollector();
      await gone.close();
      const receiver = await startReceiver(() => ({ status: 200 }));
      const t = await startTestHerald(dialect, { OTEL_EXPORTER_OTLP_ENDPOINT: gone.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '20', HERALD_SHUTDOWN_TIMEOUT: '2s' });
      try {
        const ep = await t.api('POST', '/v1/endpoints', { name: 'traced', url: receiver.url, format: 'standard', trace_context: true });
        const sub = await t.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        assert.equal(sub.status, 201, sub.text);
        const res = await t.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_otel_6'] });
        assert.equal(res.status, 202, res.text);
        await receiver.waitFor(1, 15_000);
        assert.match(String(receiver.received[0]!.headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
        await until(async () => {
          const d = await t.api('GET', `/v1/messages/${res.json.id}`);
          return d.json?.deliveries?.[0]?.status === 'succeeded';
        }, 15_000, 'the delivery to be recorded');
      } finally {
        await t.stop();
        await receiver.close();
      }
    });

    it('off (no OTEL_* endpoint): nothing is traced, no traceparent is stored or sent, even to an endpoint that opted in', async () => {
      const receiver = await startReceiver(() => ({ status: 200 }));
      const t = await startTestHerald(dialect);
      try {
        assert.equal(t.herald.ctx.telemetry, undefined);
        const ep = await t.api('POST', '/v1/endpoints', { name: 'traced', url: receiver.url, format: 'standard' });
        assert.equal(ep.status, 201, ep.text);
        const badPatch = await t.api('PATCH', `/v1/endpoints/${ep.json.id}`, { trace_context: 1 });
        assert.equal(badPatch.status, 422, badPatch.text);
        assert.match(badPatch.text, /trace_context/);
        const patched = await t.api('PATCH', `/v1/endpoints/${ep.json.id}`, { trace_context: true });
        assert.equal(patched.status, 200, patched.text);
        assert.equal(patched.json.trace_context, true);
        const read = await t.api('GET', `/v1/endpoints/${ep.json.id}`);
        assert.equal(read.json.trace_context, true);
        const sub = await t.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        assert.equal(sub.status, 201, sub.text);
        const res = await t.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_otel_3'] }, { traceparent: `00-${PUBLISHER_TRACE}-${PUBLISHER_SPAN}-01` });
        assert.equal(res.status, 202, res.text);
        await receiver.waitFor(1, 15_000);
        assert.equal(receiver.received[0]!.headers.traceparent, undefined);
        const stored = await t.herald.ctx.store.db.selectFrom('messages').select('traceparent').where('id', '=', res.json.id).executeTakeFirstOrThrow();
        assert.equal(stored.traceparent, null);
      } finally {
        await t.stop();
        await receiver.close();
      }
    });
  });
}

describe('OpenTelemetry settings', () => {
  it('only src/telemetry/otel.ts imports the SDK, and the facade loads it only dynamically', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && path !== join('src', 'telemetry', 'otel.ts') && /from '@opentelemetry\//.test(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    };
    walk('src');
    assert.deepEqual(offenders, []);
    const facade = readFileSync(join('src', 'telemetry', 'index.ts'), 'utf8');
    assert.match(facade, /await import\('\.\/otel\.js'\)/);
    assert.doesNotMatch(facade, /^import (?!type ).*otel\.js/m);
  });

  it('tracing is off unless an OTLP endpoint is named, and off whenever OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none', () => {
    assert.equal(loadConfig({}).telemetry, null);
    assert.equal(loadConfig({ OTEL_SERVICE_NAME: 'x' }).telemetry, null);
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }).telemetry, null);
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }).telemetry, null);
    assert.deepEqual(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' }).telemetry, {
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'herald',
      scheduleDelayMs: 5000,
    });
    const own = loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/in', OTEL_RESOURCE_ATTRIBUTES: 'service.name=notify,env=prod' }).telemetry;
    assert.equal(own?.tracesUrl, 'https://otel.example/in');
    assert.equal(own?.serviceName, 'notify');
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SERVICE_NAME: 'svc', OTEL_RESOURCE_ATTRIBUTES: 'service.name=notify' }).telemetry?.serviceName, 'svc');
    assert.equal(loadConfig({}).telemetry, null);
  });

  it('refuses settings it cannot honour, naming the variable and the allowed values', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /^OTEL_EXPORTER_OTLP_PROTOCOL: must be one of http\/protobuf, http\/json/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'json' }, /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: must be one of/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' }, /^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/],
      [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' }, /^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http\(s\) URL/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'zipkin' }, /^OTEL_TRACES_EXPORTER: must be otlp or none/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'yes' }, /^OTEL_SDK_DISABLED: must be true or false/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_BSP_SCHEDULE_DELAY: '5s' }, /^OTEL_BSP_SCHEDULE_DELAY: must be a whole number of milliseconds/],
    ];
    for (const [env, message] of cases) assert.throws(() => loadConfig(env), (e: Error) => message.test(e.message), JSON.stringify(env));
  });
});
