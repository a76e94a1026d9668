import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actionDisplay, resourceTypeDisplay, resultDisplay } from '../../src/formats/cloudpods-display.js';
import { renderRequest } from '../../src/formats/index.js';
import { RenderError, type EndpointView, type MessageView, type RenderInput, type TopicTemplates } from '../../src/formats/types.js';
import { CLOUDPODS_DEFAULT_TOPICS } from '../../src/catalog/cloudpods-topics.js';
import { CLOUDPODS_ACTIONS } from '../../src/catalog/cloudpods.js';

const message: MessageView = {
  id: 'msg_1',
  tenant: 'acme',
  type: 'server',
  action: 'create',
  result: 'succeed',
  entityIds: ['s-1'],
  dataJson: JSON.stringify({ name: 'web-01', project: 'demo' }),
  timestamp: '2024-03-01T10:00:00.000Z',
};

function input(over: Partial<EndpointView>, msg: MessageView = message, templates: TopicTemplates | null = null): RenderInput {
  const endpoint: EndpointView = {
    id: 'ep_1',
    format: 'cloudpods',
    url: 'https://robot.example.com/hook',
    auth: null,
    secrets: [],
    headers: {},
    bodyJson: '{}',
    msgKey: 'Msg',
    lang: 'en',
    useTemplate: true,
    ...over,
  };
  return { message: msg, endpoint, callbackUrl: 'https://herald.example.com/v1/incoming', nowSeconds: 1, requestId: 'r-1' };
}

describe('cloudpods templates', () => {
  it('renders the common English content under msg_key, with extra body, sorted and signed', () => {
    const req = renderRequest(input({ bodyJson: '{"robot":"ops","a":1}', secrets: ['k'] }));
    const expected = '{"Msg":"Your virtual machine web-01 in project demo has been created successfully","a":1,"robot":"ops"}';
    assert.equal(req.body, expected);
    assert.equal(req.headers['X-Yunion-Event'], 'SERVER/CREATE');
    assert.equal(req.headers['X-Auth-Token'], createHmac('sha256', 'k').update(expected).digest('hex'));
  });

  it('renders the common Chinese content, raw in the body', () => {
    const req = renderRequest(input({ lang: 'cn', msgKey: 'text' }, { ...message, result: 'failed', dataJson: '{"name":"web-01"}' }));
    assert.equal(req.body, '{"text":"您的虚拟机 web-01 创建失败，请尽快前往控制台处理。"}');
    assert.equal(req.headers['X-Yunion-Event'], 'SERVER/CREATE/FAILED');
  });

  it("uses the matched topic's template for the endpoint's language", () => {
    const templates: TopicTemplates = {
      content_en: '{{ .resource_type }}/{{ .action }}: {{ .resource_details.name }} ({{ .result_display }}) <ok>',
      content_cn: '{{ .resource_type_display }}{{ .action_display }}',
    };
    const en = renderRequest({ ...input({}), templates });
    assert.equal(en.body, '{"Msg":"server/create: web-01 (successfully) <ok>"}');
    const cn = renderRequest({ ...input({ lang: 'cn' }), templates });
    assert.equal(cn.body, '{"Msg":"虚拟机创建"}');
    const fallback = renderRequest({ ...input({}), templates: { content_en: '', content_cn: null } });
    assert.equal(fallback.body, '{"Msg":"Your virtual machine web-01 in project demo has been created successfully"}');
  });

  it('fails with a template RenderError the dispatcher can record', () => {
    assert.throws(
      () => renderRequest({ ...input({}), templates: { content_en: '{{ .resource_details.name.first }}' } }),
      (e: unknown) =>
        e instanceof RenderError && e.errorClass === 'template' && /can't evaluate field first/.test(e.message),
    );
    assert.throws(
      () => renderRequest({ ...input({}), templates: { content_en: '{{ if }}' } }),
      (e: unknown) => e instanceof RenderError && e.errorClass === 'template' && /missing value for if/.test(e.message),
    );
  });

  it('renders every default topic in both languages without error', () => {
    for (const topic of CLOUDPODS_DEFAULT_TOPICS) {
      const [type, action, failed] = topic.patterns[0]!.toLowerCase().split('/');
      const msg = { ...message, type: type!, action: action!, result: failed ? ('failed' as const) : ('succeed' as const) };
      for (const lang of ['en', 'cn'] as const) {
        const body = JSON.parse(renderRequest({ ...input({ lang }, msg), templates: topic }).body);
        assert.ok(typeof body.Msg === 'string' && body.Msg.length > 0 && !body.Msg.includes('<no value>'), `${topic.name} ${lang}: ${body.Msg}`);
      }
    }
  });
});

describe('cloudpods display names', () => {
  it('names resources, actions and results in both languages', () => {
    assert.equal(resourceTypeDisplay('server', 'en'), 'virtual machine');
    assert.equal(resourceTypeDisplay('SERVER', 'cn'), '虚拟机');
    assert.equal(actionDisplay('create', 'en'), 'created');
    assert.equal(actionDisplay('create', 'cn'), '创建');
    assert.equal(resultDisplay('succeed', 'en'), 'successfully');
    assert.equal(resultDisplay('succeed', 'cn'), '成功');
    assert.equal(resultDisplay('failed', 'en'), 'failed');
    assert.equal(resultDisplay('failed', 'cn'), '失败');
  });

  it('has a name for every catalog action and every default-topic resource', () => {
    // A name from the table differs from the fallback (the lower-cased words of the key).
    for (const action of CLOUDPODS_ACTIONS) {
      assert.notEqual(actionDisplay(action, 'cn'), action.replace(/_/g, ' '), action);
      assert.ok(actionDisplay(action, 'en').length > 0, action);
    }
    for (const topic of CLOUDPODS_DEFAULT_TOPICS) {
      for (const p of topic.patterns) {
        const type = p.split('/')[0]!.toLowerCase();
        assert.notEqual(resourceTypeDisplay(type, 'cn'), type.replace(/_/g, ' '), type);
      }
    }
  });

  it('falls back to the words of an unknown type or action', () => {
    assert.equal(resourceTypeDisplay('ONDEMAND_ENROLLMENT', 'en'), 'ondemand enrollment');
    assert.equal(actionDisplay('EXPIRED', 'cn'), 'expired');
  });
});
