import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

import { renderRequest } from '../../src/formats/index.js';
import type { EndpointView, MessageView, RenderInput } from '../../src/formats/types.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

const message: MessageView = {
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  tenant: 'acme',
  type: 'server',
  action: 'start',
  result: 'succeed',
  entityIds: ['srv-1'],
  dataJson: JSON.stringify({ name: 'web-01', zone: '北京' }),
  timestamp: '2024-03-01T10:00:00.000Z',
};

function input(over: Partial<EndpointView> = {}, msg: MessageView = message, nowSeconds = 1614265330): RenderInput {
  const endpoint: EndpointView = {
    id: 'ep_1',
    format: 'standard',
    url: 'https://hooks.example.com/in',
    auth: null,
    secrets: [SECRET],
    headers: {},
    bodyJson: '{}',
    msgKey: 'Msg',
    lang: 'en',
    useTemplate: false,
    ...over,
  };
  return { message: msg, endpoint, callbackUrl: 'https://herald.example.com/v1/incoming', nowSeconds, requestId: 'r' };
}

function expectedSignature(secret: string, id: string, ts: number, body: string): string {
  return 'v1,' + createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`${id}.${ts}.${body}`).digest('base64');
}

describe('standard format', () => {
  it('renders type.action, timestamp and data with entity_ids first', () => {
    const req = renderRequest(input());
    assert.equal(
      req.body,
      '{"type":"server.start","timestamp":"2024-03-01T10:00:00.000Z","data":{"entity_ids":["srv-1"],"name":"web-01","zone":"北京"}}',
    );
    assert.deepEqual(req.headers, {
      'Content-Type': 'application/json',
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': expectedSignature(SECRET, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, req.body),
    });
  });

  it('appends .failed for failed results and keeps the stored spelling', () => {
    const req = renderRequest(input({}, { ...message, type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', result: 'failed' }));
    assert.equal(JSON.parse(req.body).type, 'ONDEMAND_ENROLLMENT.EXPIRED.failed');
  });

  it('keeps Herald entity ids when data carries its own', () => {
    const req = renderRequest(input({}, { ...message, dataJson: '{"entity_ids":["forged"],"x":1}' }));
    assert.equal(JSON.parse(req.body).data.entity_ids[0], 'srv-1');
    assert.equal(req.body.includes('forged'), false);
  });

  it('is verified by the standardwebhooks package, also with the previous secret during rotation', () => {
    const now = Math.floor(Date.now() / 1000);
    const req = renderRequest(input({ secrets: [SECRET, OLD_SECRET] }, message, now));
    const parsed = JSON.parse(req.body);
    assert.deepEqual(new Webhook(SECRET).verify(req.body, req.headers), parsed);
    assert.deepEqual(new Webhook(OLD_SECRET).verify(req.body, req.headers), parsed);
    assert.throws(() => new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify(req.body, req.headers), WebhookVerificationError);
    assert.throws(() => new Webhook(SECRET).verify(req.body + ' ', req.headers), WebhookVerificationError);
  });

  it('signs exactly as the standardwebhooks package does', () => {
    const req = renderRequest(input());
    const theirs = new Webhook(SECRET).sign(message.id, new Date(1614265330 * 1000), req.body);
    assert.equal(req.headers['webhook-signature'], theirs);
  });

  it('keeps extra headers but never lets them touch webhook-* or Content-Type', () => {
    const req = renderRequest(input({ headers: { 'X-Env': 'prod', 'webhook-id': 'x', 'CONTENT-TYPE': 'text/plain' } }));
    assert.equal(req.headers['X-Env'], 'prod');
    assert.equal(req.headers['webhook-id'], message.id);
    assert.equal(req.headers['Content-Type'], 'application/json');
    assert.equal(req.headers['CONTENT-TYPE'], undefined);
  });
});
