import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { builtinCatalog, customEntry, customTypeProblems, resolveEvent } from '../../src/catalog/catalog.js';
import { CLOUDPODS_DEFAULT_TOPICS } from '../../src/catalog/cloudpods-topics.js';
import { eventKey } from '../../src/catalog/event-key.js';

describe('event key', () => {
  it('upper-cases TYPE/ACTION and appends /FAILED only for failures', () => {
    assert.equal(eventKey({ type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', result: 'succeed' }), 'ONDEMAND_ENROLLMENT/EXPIRED');
    assert.equal(eventKey({ type: 'server', action: 'start', result: 'failed' }), 'SERVER/START/FAILED');
    assert.equal(eventKey({ type: 'host', action: 'update' }), 'HOST/UPDATE');
  });
});

describe('built-in catalog', () => {
  const entries = builtinCatalog();

  it('holds the strigo types and statuses of seed 001', () => {
    const strigo = Object.fromEntries(entries.filter((e) => e.catalog === 'strigo').map((e) => [e.type, e.actions]));
    assert.deepEqual(strigo, {
      CLASS: ['CREATED', 'UPDATED', 'DELETED'],
      EVENT: ['STARTED', 'ENDED', 'EXTENDED'],
      EVENT_WORKSPACE: ['CREATED', 'REMOVED', 'REINSTATED', 'DELETED'],
      ONDEMAND_COURSE: ['CREATED', 'UPDATED', 'DELETED', 'STATUS_CHANGE'],
      ONDEMAND_ENROLLMENT: ['CREATED', 'STARTED', 'FINISHED', 'EXPIRED', 'STOPPED', 'RESUMED'],
      RESOURCE: ['RESTARTED', 'REPLACED'],
    });
  });

  it('holds every resource of the default topics plus user, account, task, cloudphone and webapp', () => {
    const cloudpods = new Set(entries.filter((e) => e.catalog === 'cloudpods').map((e) => e.type));
    for (const t of ['server', 'host', 'disk', 'eip', 'project', 'user', 'account', 'task', 'cloudphone', 'webapp', 'loadbalancerbackendgroup']) {
      assert.ok(cloudpods.has(t), t);
    }
    for (const topic of CLOUDPODS_DEFAULT_TOPICS) {
      for (const p of topic.patterns) assert.ok(cloudpods.has(p.split('/')[0]!.toLowerCase()), `${topic.name}: ${p}`);
    }
    const server = entries.find((e) => e.type === 'server')!;
    assert.equal(server.actions.length, 44);
    for (const a of ['sync_create', 'sync_update', 'sync_delete', 'run_task', 'password_expire_soon']) assert.ok(server.actions.includes(a));
  });

  it('resolves case-insensitively to the canonical spelling', () => {
    assert.deepEqual(
      (({ ok, type, action, result }: any) => ({ ok, type, action, result }))(resolveEvent(entries, { type: 'ondemand_enrollment', action: 'expired' })),
      { ok: true, type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', result: 'succeed' },
    );
    const r = resolveEvent(entries, { type: 'SERVER', action: 'Start', result: 'failed' });
    assert.ok(r.ok);
    assert.equal(r.type, 'server');
    assert.equal(r.action, 'start');
    assert.equal(r.result, 'failed');
    assert.equal(r.entry.catalog, 'cloudpods');
  });

  it('names the allowed types for an unknown type', () => {
    const r = resolveEvent(entries, { type: 'KLASS', action: 'CREATED' });
    assert.ok(!r.ok, JSON.stringify(r));
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.path, '/type');
    assert.match(r.problems[0]!.message, /KLASS/);
    assert.ok(r.problems[0]!.allowed!.includes('CLASS'));
    assert.ok(r.problems[0]!.allowed!.includes('server'));
  });

  it("names the type's allowed actions for an unknown action", () => {
    const r = resolveEvent(entries, { type: 'EVENT', action: 'CREATED' });
    assert.ok(!r.ok, JSON.stringify(r));
    assert.deepEqual(r.problems, [
      { path: '/action', message: 'unknown action "CREATED" for type EVENT', allowed: ['STARTED', 'ENDED', 'EXTENDED'] },
    ]);
  });

  it('accepts only succeed or failed as result, and reports every problem at once', () => {
    const r = resolveEvent(entries, { type: 'EVENT', action: 'NOPE', result: 'ok' });
    assert.ok(!r.ok, JSON.stringify(r));
    assert.deepEqual(r.problems.map((p) => p.path).sort(), ['/action', '/result']);
    assert.deepEqual(r.problems.find((p) => p.path === '/result')!.allowed, ['succeed', 'failed']);
    const missing = resolveEvent(entries, {});
    assert.ok(!missing.ok, JSON.stringify(missing));
    assert.equal(missing.problems[0]!.message, 'type is required');
  });

  it('resolves custom types added to the entries', () => {
    const custom = customEntry({ type: 'invoice', actions: ['paid', 'Overdue'] });
    assert.deepEqual(custom, { type: 'INVOICE', catalog: 'custom', actions: ['PAID', 'OVERDUE'], schema: null });
    const r = resolveEvent([...entries, custom], { type: 'Invoice', action: 'overdue' });
    assert.ok(r.ok);
    assert.equal(r.type, 'INVOICE');
    assert.equal(r.action, 'OVERDUE');
  });
});

describe('custom type validation', () => {
  it('accepts a well-formed type', () => {
    assert.deepEqual(customTypeProblems({ type: 'INVOICE', actions: ['PAID', 'OVERDUE'], schema: { type: 'object' } }), []);
    assert.deepEqual(customTypeProblems({ type: 'invoice_2', actions: ['paid'] }), []);
  });

  it('refuses names that are not identifiers, clashes with builtins in any case, and bad actions', () => {
    assert.deepEqual(customTypeProblems({ type: '9X', actions: ['A'] }).map((p) => p.path), ['/type']);
    assert.deepEqual(customTypeProblems({ type: 'with space', actions: ['A'] }).map((p) => p.path), ['/type']);
    const clash = customTypeProblems({ type: 'Server', actions: ['A'] });
    assert.equal(clash[0]!.path, '/type');
    assert.match(clash[0]!.message, /cloudpods catalog as server/);
    assert.match(customTypeProblems({ type: 'class', actions: ['A'] })[0]!.message, /strigo/);
    assert.deepEqual(customTypeProblems({ type: 'X', actions: [] }).map((p) => p.path), ['/actions']);
    assert.deepEqual(customTypeProblems({ type: 'X', actions: 'A' }).map((p) => p.path), ['/actions']);
    assert.deepEqual(customTypeProblems({ type: 'X', actions: ['A', 'b', 'a', 'c-d', 3] }).map((p) => p.path), ['/actions/2', '/actions/3', '/actions/4']);
    assert.deepEqual(customTypeProblems({ type: 'X', actions: ['A'], schema: [1] }).map((p) => p.path), ['/schema']);
    assert.deepEqual(customTypeProblems({ type: 'X', actions: ['A'], schema: 'object' }).map((p) => p.path), ['/schema']);
    assert.deepEqual(customTypeProblems(null).map((p) => p.path), ['']);
  });

  it('refuses a second custom type of the same name when given every entry', () => {
    const entries = [...builtinCatalog(), customEntry({ type: 'INVOICE', actions: ['PAID'] })];
    assert.equal(customTypeProblems({ type: 'invoice', actions: ['PAID'] }, entries)[0]!.path, '/type');
  });
});
