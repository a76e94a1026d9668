import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';

import { renderRequest } from '../../src/formats/index.js';
import type { EndpointView, MessageView, RenderInput } from '../../src/formats/types.js';

const message: MessageView = {
  id: 'msg_2d9f',
  tenant: 'acme',
  type: 'ONDEMAND_ENROLLMENT',
  action: 'EXPIRED',
  result: 'succeed',
  entityIds: ['enr_1', 'enr_2'],
  dataJson: JSON.stringify({ course: 'Kubernetes 101', student: 'Zoë' }),
  timestamp: '2020-10-05T08:36:09.000Z',
};

function endpoint(over: Partial<EndpointView> = {}): EndpointView {
  return {
    id: 'ep_1',
    format: 'strigo',
    url: 'https://training.example.com/webhooks/events',
    auth: null,
    secrets: [],
    headers: {},
    bodyJson: '{}',
    msgKey: 'Msg',
    lang: 'en',
    useTemplate: false,
    ...over,
  };
}

function input(ep: EndpointView): RenderInput {
  return { message, endpoint: ep, callbackUrl: 'https://herald.example.com/v1/incoming', nowSeconds: 1700000000, requestId: 'req-1' };
}

const EXPECTED_BODY =
  '{"message_id":"msg_2d9f","type":"ONDEMAND_ENROLLMENT","status":"EXPIRED","entity_ids":["enr_1","enr_2"],' +
  '"timestamp":"2020-10-05T08:36:09.000Z","context":{"course":"Kubernetes 101","student":"Zoë"},' +
  '"callback":"https://herald.example.com/v1/incoming"}';

describe('strigo format', () => {
  it('renders the seed envelope in its key order, compact', () => {
    const req = renderRequest(input(endpoint()));
    assert.equal(req.body, EXPECTED_BODY);
    assert.deepEqual(req.headers, { 'Content-Type': 'application/json', Accept: 'application/json' });
  });

  it('sends Bearer user:key when the endpoint has auth', () => {
    const req = renderRequest(input(endpoint({ auth: { user: 'org-backend', key: 's3cr3t' } })));
    assert.equal(req.headers.Authorization, 'Bearer org-backend:s3cr3t');
  });

  it('adds extra headers but never lets them replace reserved ones', () => {
    const req = renderRequest(
      input(
        endpoint({
          auth: { user: 'u', key: 'k' },
          secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
          headers: {
            'X-Tenant': 'acme',
            'content-type': 'text/plain',
            authorization: 'Bearer evil',
            'Webhook-Signature': 'v1,forged',
            accept: 'application/vnd.acme+json',
          },
        }),
      ),
    );
    assert.equal(req.headers['X-Tenant'], 'acme');
    assert.equal(req.headers['Content-Type'], 'application/json');
    assert.equal(req.headers['content-type'], undefined);
    assert.equal(req.headers.Authorization, 'Bearer u:k');
    assert.equal(req.headers.authorization, undefined);
    assert.equal(req.headers['Webhook-Signature'], undefined);
    // Accept is not reserved: the receiver's choice wins, sent once.
    assert.equal(req.headers.accept, 'application/vnd.acme+json');
    assert.equal(req.headers.Accept, undefined);
  });

  it('signs with Standard Webhooks headers that the standardwebhooks package verifies', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const req = renderRequest(input(endpoint({ secrets: [secret] })));
    assert.equal(req.headers['webhook-id'], 'msg_2d9f');
    assert.equal(req.headers['webhook-timestamp'], '1700000000');
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`msg_2d9f.1700000000.${EXPECTED_BODY}`).digest('base64');
    assert.equal(req.headers['webhook-signature'], `v1,${mac}`);

    const wh = new Webhook(secret);
    // The library checks the timestamp against its clock; pin it with a fresh render instead.
    const now = Math.floor(Date.now() / 1000);
    const fresh = renderRequest({ ...input(endpoint({ secrets: [secret] })), nowSeconds: now });
    assert.deepEqual(wh.verify(fresh.body, fresh.headers), JSON.parse(EXPECTED_BODY));
  });

  it('signs once per secret during rotation, newest first', () => {
    const secrets = ['whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'];
    const req = renderRequest(input(endpoint({ secrets })));
    const entries = req.headers['webhook-signature']!.split(' ');
    assert.equal(entries.length, 2);
    for (const [i, s] of secrets.entries()) {
      const mac = createHmac('sha256', Buffer.from(s.slice(6), 'base64'))
        .update(`msg_2d9f.1700000000.${EXPECTED_BODY}`)
        .digest('base64');
      assert.equal(entries[i], `v1,${mac}`);
    }
  });

  it('omits signature headers without secrets', () => {
    const req = renderRequest(input(endpoint()));
    assert.equal(Object.keys(req.headers).some((h) => h.startsWith('webhook-')), false);
  });
});
