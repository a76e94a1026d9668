import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { cloudpodsEndpointProblems, renderCloudpodsValidation } from '../../src/formats/cloudpods.js';
import { renderRequest } from '../../src/formats/index.js';
import type { EndpointView, MessageView, RenderInput } from '../../src/formats/types.js';

const message: MessageView = {
  id: 'msg_1',
  tenant: 'acme',
  type: 'HOST',
  action: 'Update',
  result: 'succeed',
  entityIds: ['h-1'],
  dataJson: JSON.stringify({
    name: 'yunion',
    mem_size: 11957,
    is_public: true,
    metadata: {},
    zone: '北京 <一区> & "二区"',
    access_ip: '',
    cpu_ratio: 1.5,
    tags: ['a', null],
  }),
  timestamp: '2024-03-01T10:00:00.000Z',
};

function endpoint(over: Partial<EndpointView> = {}): EndpointView {
  return {
    id: 'ep_1',
    format: 'cloudpods',
    url: 'https://robot.example.com/hook',
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

function input(ep: EndpointView, msg: MessageView = message): RenderInput {
  return { message: msg, endpoint: ep, callbackUrl: 'https://herald.example.com/v1/incoming', nowSeconds: 1, requestId: '60ec3e' };
}

// Built by hand: keys sorted at every depth, non-ASCII and <>& raw, the message repeated as a JSON string.
const DETAILS =
  '{"access_ip":"","cpu_ratio":1.5,"is_public":true,"mem_size":11957,"metadata":{},"name":"yunion","tags":["a",null],' +
  '"zone":"北京 <一区> & \\"二区\\""}';
const MESSAGE = `{"action":"update","resource_details":${DETAILS},"resource_type":"host","result":"succeed"}`;
const MESSAGE_AS_STRING = JSON.stringify(MESSAGE);

describe('cloudpods format', () => {
  it('sends the message keys and the same message as a JSON string under msg_key, sorted and compact', () => {
    const req = renderRequest(input(endpoint()));
    assert.equal(
      req.body,
      `{"Msg":${MESSAGE_AS_STRING},"action":"update","resource_details":${DETAILS},"resource_type":"host","result":"succeed"}`,
    );
    assert.deepEqual(req.headers, {
      'Content-Type': 'application/json',
      'User-Agent': 'yunioncloud-go/201708',
      Accept: '*/*',
      'Accept-Encoding': '*',
      'X-Request-Id': '60ec3e',
      'X-Yunion-Event': 'HOST/UPDATE',
    });
  });

  it('merges extra body keys and headers, with custom msg_key, and signs the exact body', () => {
    const ep = endpoint({
      msgKey: 'test',
      bodyJson: JSON.stringify({ body_test: 'test', zz: { b: 2, a: '中' } }),
      headers: { test: 'test', 'x-foo-bar': 'baz' },
      secrets: ['s3cret', 'older'],
    });
    const req = renderRequest(input(ep));
    const expected =
      `{"action":"update","body_test":"test","resource_details":${DETAILS},"resource_type":"host","result":"succeed",` +
      `"test":${MESSAGE_AS_STRING},"zz":{"a":"中","b":2}}`;
    assert.equal(req.body, expected);
    assert.equal(req.headers.Test, 'test');
    assert.equal(req.headers['X-Foo-Bar'], 'baz');
    assert.equal(req.headers.test, undefined);
    assert.equal(req.headers['X-Auth-Token'], createHmac('sha256', 's3cret').update(Buffer.from(expected, 'utf8')).digest('hex'));
  });

  it('names failed events with /FAILED', () => {
    const req = renderRequest(input(endpoint(), { ...message, type: 'server', action: 'start', result: 'failed', dataJson: '{}' }));
    assert.equal(req.headers['X-Yunion-Event'], 'SERVER/START/FAILED');
    assert.equal(
      req.body,
      '{"Msg":"{\\"action\\":\\"start\\",\\"resource_details\\":{},\\"resource_type\\":\\"server\\",\\"result\\":\\"failed\\"}",' +
        '"action":"start","resource_details":{},"resource_type":"server","result":"failed"}',
    );
  });

  it('sorts keys by UTF-8 bytes and escapes as jsonutils does: controls escaped, U+2028 raw, no HTML escaping', () => {
    const data = { b: 1, a: 2, B: 3, 'é': 4, '😀': 5, '\uff01': 6, ctl: 'x\u0001\n\t\u2028y' };
    const req = renderRequest(input(endpoint({ msgKey: 'M' }), { ...message, dataJson: JSON.stringify(data) }));
    const details = JSON.parse(req.body).resource_details;
    assert.deepEqual(details, data);
    assert.ok(
      req.body.includes('"resource_details":{"B":3,"a":2,"b":1,"ctl":"x\\u0001\\n\\t\u2028y","é":4,"！":6,"😀":5}'),
      req.body,
    );
  });

  it('never lets extra body or headers overwrite the message or the signature', () => {
    const ep = endpoint({
      bodyJson: JSON.stringify({ Msg: 'lost', action: 'lost', other: 1 }),
      headers: { 'content-type': 'text/plain', 'x-auth-token': 'forged' },
      secrets: ['k'],
    });
    const req = renderRequest(input(ep));
    const parsed = JSON.parse(req.body);
    assert.equal(parsed.action, 'update');
    assert.equal(parsed.Msg, MESSAGE);
    assert.equal(parsed.other, 1);
    assert.equal(req.headers['Content-Type'], 'application/json');
    assert.equal(req.headers['X-Auth-Token'], createHmac('sha256', 'k').update(req.body).digest('hex'));
  });

  it('renders the validation call', () => {
    const req = renderCloudpodsValidation(endpoint({ bodyJson: '{"body_test":"test"}', secrets: ['s3cret'] }), 'req-9');
    const expected = '{"Msg":"This is a validate message.","body_test":"test"}';
    assert.equal(req.body, expected);
    assert.equal(req.headers['X-Yunion-Event'], 'VALIDATE');
    assert.equal(req.headers['X-Request-Id'], 'req-9');
    assert.equal(req.headers['User-Agent'], 'yunioncloud-go/201708');
    assert.equal(req.headers['X-Auth-Token'], createHmac('sha256', 's3cret').update(expected).digest('hex'));
    assert.equal(renderCloudpodsValidation(endpoint(), 'r').body, '{"Msg":"This is a validate message."}');
    assert.equal(renderCloudpodsValidation(endpoint(), 'r').headers['X-Auth-Token'], undefined);
  });
});

describe('cloudpods endpoint checks', () => {
  it('accepts ordinary settings', () => {
    assert.deepEqual(cloudpodsEndpointProblems({ msgKey: 'Msg', body: { body_test: 1 }, headers: { Test: 'x' } }), []);
  });

  it('refuses body keys that would overwrite the message, reserved headers and an empty msg_key', () => {
    assert.deepEqual(
      cloudpodsEndpointProblems({
        msgKey: 'text',
        body: { text: 1, resource_details: {}, ok: 2 },
        headers: { 'CONTENT-TYPE': 'a', 'X-Auth-Token': 'b', Other: 'c' },
      }).map((p) => p.path),
      ['/body/text', '/body/resource_details', '/headers/CONTENT-TYPE', '/headers/X-Auth-Token'],
    );
    assert.deepEqual(cloudpodsEndpointProblems({ msgKey: '' }).map((p) => p.path), ['/msg_key']);
    assert.deepEqual(cloudpodsEndpointProblems({ msgKey: 'result' }).map((p) => p.path), ['/msg_key']);
    assert.deepEqual(cloudpodsEndpointProblems({ msgKey: 'M', body: { 'a/b': 1, action: 2 } }).map((p) => p.path), ['/body/action']);
  });
});
