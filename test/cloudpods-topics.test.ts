import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, type TestHerald } from './helpers/herald.js';

async function topicNamed(h: TestHerald, name: string) {
  const list = await h.api('GET', '/v1/topics?limit=500');
  assert.equal(list.status, 200, list.text);
  const t = list.json.data.find((x: any) => x.name === name);
  assert.ok(t, `seeded topic ${name}`);
  return t;
}

for (const dialect of DIALECTS) {
  describe(`cloudpods topics API (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('lists the seeded topics with their events, pages through them, and shows one', async () => {
      const h = await startTestHerald(dialect);
      try {
        const all = await h.api('GET', '/v1/topics?limit=500');
        assert.equal(all.json.data.length, 13);
        assert.equal(all.json.next_cursor, null);
        const sync = await topicNamed(h, 'resource sync');
        assert.ok(sync.events.includes('SERVER/SYNC_CREATE'));
        assert.equal(sync.enabled, true);
        assert.equal(sync.patterns, undefined, 'the API speaks of events, as subscriptions do');

        const first = await h.api('GET', '/v1/topics?limit=5');
        assert.equal(first.json.data.length, 5);
        const second = await h.api('GET', `/v1/topics?limit=5&cursor=${first.json.next_cursor}`);
        assert.equal(second.json.data.length, 5);
        assert.ok(!second.json.data.some((t: any) => first.json.data.some((f: any) => f.id === t.id)));

        const one = await h.api('GET', `/v1/topics/${sync.id}`);
        assert.deepEqual(one.json, sync);
        assert.equal((await h.api('GET', '/v1/topics/top_nope')).status, 404);
      } finally {
        await h.stop();
      }
    });

    it('creates, edits, disables and enables a topic; a duplicate name is a conflict', async () => {
      const h = await startTestHerald(dialect);
      try {
        const created = await h.api('POST', '/v1/topics', { name: 'lab servers', events: ['server/start', 'SERVER/STOP'], content_en: 'vm {{ .resource_details.name }}' });
        assert.equal(created.status, 201, created.text);
        assert.match(created.json.id, /^top_/);
        assert.deepEqual(created.json.events, ['SERVER/START', 'SERVER/STOP']);
        assert.equal(created.json.content_en, 'vm {{ .resource_details.name }}');
        assert.equal(created.json.title_en, null);
        assert.equal(created.json.enabled, true);

        const dup = await h.api('POST', '/v1/topics', { name: 'lab servers', events: ['SERVER/START'] });
        assert.equal(dup.status, 409, dup.text);

        const id = created.json.id;
        const patched = await h.api('PATCH', `/v1/topics/${id}`, { name: 'lab VMs', enabled: false, title_cn: '{{ .action_display }}', content_en: null });
        assert.equal(patched.status, 200, patched.text);
        assert.equal(patched.json.name, 'lab VMs');
        assert.equal(patched.json.enabled, false);
        assert.equal(patched.json.title_cn, '{{ .action_display }}');
        assert.equal(patched.json.content_en, null, 'null goes back to the common default');
        assert.deepEqual((await h.api('GET', `/v1/topics/${id}`)).json, patched.json);

        assert.equal((await h.api('POST', `/v1/topics/${id}/enable`)).json.enabled, true);
        assert.equal((await h.api('POST', `/v1/topics/${id}/disable`)).json.enabled, false);
        assert.equal((await h.api('GET', `/v1/topics/${id}`)).json.enabled, false);

        const badPattern = await h.api('PATCH', `/v1/topics/${id}`, { events: ['SERVER/START/DONE'] });
        assert.equal(badPattern.status, 422);
        assert.equal(badPattern.json.error.details[0].path, '/events/0');
        const unknownField = await h.api('PATCH', `/v1/topics/${id}`, { patterns: ['SERVER/*'] });
        assert.equal(unknownField.status, 422, unknownField.text);
        assert.equal(unknownField.json.error.details[0].path, '/patterns');
      } finally {
        await h.stop();
      }
    });

    it('refuses a template that does not parse, naming the field, line and column, and stores nothing', async () => {
      const h = await startTestHerald(dialect);
      try {
        const t = await topicNamed(h, 'resource create or delete');
        const broken = 'line one\nline two\nhello {{ .name }';
        const res = await h.api('PATCH', `/v1/topics/${t.id}`, { content_en: broken, title_en: 'fine {{ .action }}' });
        assert.equal(res.status, 422, res.text);
        assert.deepEqual(res.json.error.details, [{ path: '/content_en', message: 'template: 3:16: unexpected "}" in operand' }]);
        assert.deepEqual((await h.api('GET', `/v1/topics/${t.id}`)).json, t, 'nothing changed');

        const onCreate = await h.api('POST', '/v1/topics', { name: 'x', events: ['SERVER/*'], title_cn: '{{ if .result }}' });
        assert.equal(onCreate.status, 422);
        assert.equal(onCreate.json.error.details[0].path, '/title_cn');
        assert.match(onCreate.json.error.details[0].message, /^template: 1:\d+: /);
        const deep = await h.api('POST', '/v1/topics', { name: 'deep', events: ['SERVER/*'], content_en: `{{ ${'('.repeat(30_000)}1${')'.repeat(30_000)} }}` });
        assert.equal(deep.status, 422, deep.text);
        assert.equal(deep.json.error.details[0].path, '/content_en');
        assert.equal((await h.api('GET', '/v1/topics?limit=500')).json.data.length, 13);
      } finally {
        await h.stop();
      }
    });

    it('previews title and content for a sample event, with unsaved edits, in both languages', async () => {
      const h = await startTestHerald(dialect);
      try {
        const t = await topicNamed(h, 'resource create or delete');
        const en = await h.api('POST', `/v1/topics/${t.id}/preview`, {});
        assert.equal(en.status, 200, en.text);
        assert.deepEqual(en.json, { lang: 'en', template_mode: 'cloudpods', title: 'virtual machine created successfully', content: 'Your virtual machine vm-01 in project demo has been created successfully' });

        const cn = await h.api('POST', `/v1/topics/${t.id}/preview`, { lang: 'cn' });
        assert.deepEqual(cn.json, { lang: 'cn', template_mode: 'cloudpods', title: '虚拟机创建成功', content: '您的虚拟机 vm-01 （项目 demo）创建成功。' });

        const edited = await h.api('POST', `/v1/topics/${t.id}/preview`, {
          event: { type: 'disk', action: 'delete', result: 'failed', data: { name: '测试-disk' } },
          templates: { content_en: '{{ .resource_type }} {{ .resource_details.name }} {{ .action_display }} {{ .result }}' },
        });
        assert.equal(edited.status, 200, edited.text);
        assert.equal(edited.json.content, 'disk 测试-disk deleted failed');

        const broken = await h.api('POST', `/v1/topics/${t.id}/preview`, { templates: { content_en: '{{ .x' } });
        assert.equal(broken.status, 422);
        assert.equal(broken.json.error.details[0].path, '/templates/content_en');
        assert.match(broken.json.error.details[0].message, /^template: 1:\d+: /);

        const renderError = await h.api('POST', `/v1/topics/${t.id}/preview`, { templates: { content_en: '{{ index .resource_details 5 }}' } });
        assert.equal(renderError.status, 422, renderError.text);
        assert.equal(renderError.json.error.details[0].path, '/templates/content_en');
        assert.match(renderError.json.error.message, /template/);
        assert.deepEqual((await h.api('GET', `/v1/topics/${t.id}`)).json, t, 'a preview saves nothing');
      } finally {
        await h.stop();
      }
    });

    it('the console topic editor previews and saves through the topics API', async () => {
      const h = await startTestHerald(dialect);
      try {
        const t = await topicNamed(h, 'resource create or delete');
        const login = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
        const post = async (path: string, form: Record<string, string>) => {
          const res = await fetch(h.url + path, { method: 'POST', headers: { cookie }, body: new URLSearchParams(form) });
          return { status: res.status, text: await res.text() };
        };
        const editor = await fetch(`${h.url}/topics/${t.id}`, { headers: { cookie } }).then((r) => r.text());
        assert.ok(!editor.includes('does not have yet'), 'the editor finds the API routes');

        const preview = await post(`/topics/${t.id}/preview`, { content_en: 'made {{ .resource_details.name }}', title_en: '' });
        assert.equal(preview.status, 200);
        assert.match(preview.text, /made vm-lab-01/);
        const broken = await post(`/topics/${t.id}/preview`, { content_en: '{{ .x' });
        // The problem is said beside its field, in words, not as a JSON path.
        assert.match(broken.text, /data-field="content_en"[^>]*>content_en: template: 1:6: unclosed action/);

        const saved = await post(`/topics/${t.id}`, { title_en: '', content_en: 'saved {{ .action }}', title_cn: '', content_cn: '' });
        assert.match(saved.text, /Templates saved/);
        const after = (await h.api('GET', `/v1/topics/${t.id}`)).json;
        assert.equal(after.content_en, 'saved {{ .action }}');
        assert.equal(after.title_en, null);
      } finally {
        await h.stop();
      }
    });
  });
}
