import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { validateIncoming } from '../../src/incoming/validate.js';
import type { Problem } from '../../src/incoming/types.js';

const STATUSES = ['STARTING', 'PREPARING', 'READY', 'STOPPING', 'STOPPED', 'DELETING', 'DELETED', 'ERROR'];

/** The seed's example message, quoted into JSON and with its `...` placeholders left out. */
function seedExample(status = 'LAUNCHING'): Record<string, unknown> {
  return {
    source_message_id: 'dfede374',
    type: 'RESOURCE',
    action: 'CREATED',
    data: {
      resources: [
        { id: '25f377ac', type: 'VM', name: 'server', data: { status } },
        { id: '56ea830e', type: 'VM', name: 'agent', data: { status } },
        { id: '619a8bbe', type: 'VM', name: 'client', data: { status } },
      ],
      interfaces: [
        { type: 'TERMINAL', resource_id: '25f377ac' },
        { type: 'TERMINAL', resource_id: '619a8bbe' },
      ],
    },
  };
}

function problemsOf(body: unknown): Problem[] {
  const result = validateIncoming(body);
  assert.equal(result.ok, false, 'expected the message to be refused');
  return result.ok ? [] : result.problems;
}

function valueOf(body: unknown) {
  const result = validateIncoming(body);
  assert.ok(result.ok, `expected the message to pass, got ${JSON.stringify(result)}`);
  return result.value;
}

function paths(problems: Problem[]): string[] {
  return problems.map((p) => p.path);
}

describe('validateIncoming', () => {
  it("refuses the seed example's LAUNCHING on every resource, listing the eight statuses in order", () => {
    const problems = problemsOf(seedExample());
    assert.deepEqual(paths(problems), [
      '/data/resources/0/data/status',
      '/data/resources/1/data/status',
      '/data/resources/2/data/status',
    ]);
    for (const p of problems) {
      assert.deepEqual(p.allowed, STATUSES);
      assert.match(p.message, /'LAUNCHING'/);
      assert.ok(p.message.includes(STATUSES.join(', ')), p.message);
    }
  });

  it('accepts the seed example with a listed status and folds data.status into status', () => {
    const value = valueOf(seedExample('STARTING'));
    assert.equal(value.action, 'CREATED');
    assert.deepEqual(value.data.resources[0], { id: '25f377ac', type: 'VM', name: 'server', status: 'STARTING' });
    assert.deepEqual(value.data.interfaces, [
      { type: 'TERMINAL', resource_id: '25f377ac' },
      { type: 'TERMINAL', resource_id: '619a8bbe' },
    ]);
  });

  it('accepts the action as `status`, as the seed table names it', () => {
    const { action: _, ...body } = seedExample('READY');
    assert.equal(valueOf({ ...body, status: 'UPDATED' }).action, 'UPDATED');
    assert.equal(valueOf({ ...body, status: 'UPDATED', action: 'UPDATED' }).action, 'UPDATED');
  });

  it('refuses `action` and `status` that disagree, naming both', () => {
    const problems = problemsOf({ ...seedExample('READY'), status: 'DELETED' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, '/status');
    assert.match(problems[0]!.message, /'DELETED'/);
    assert.match(problems[0]!.message, /'CREATED'/);
  });

  it('requires an action and lists the allowed ones', () => {
    const { action: _, ...body } = seedExample('READY');
    assert.deepEqual(problemsOf(body), [
      {
        path: '/action',
        message: 'is required (or its alias `status`); allowed: CREATED, UPDATED, DELETED',
        allowed: ['CREATED', 'UPDATED', 'DELETED'],
      },
    ]);
  });

  it('lists every problem, each at its JSON pointer', () => {
    const problems = problemsOf({
      type: 'RESOURCES',
      action: 'MADE',
      timestamp: 'yesterday',
      data: {
        resources: [
          { type: 'CONTAINER', status: 'LAUNCHING', config: [] },
          { id: 'vm-1', type: 'VM', status: 'READY', name: '' },
          { id: 'vm-1', type: 'URL', status: 'READY', data: { status: 'ERROR' } },
          'vm-2',
        ],
        interfaces: [{ type: 'SSH', resource_id: 5 }, { resource_id: 'vm-1', config: { depth: 1n } }],
      },
    });
    assert.deepEqual(paths(problems), [
      '/source_message_id',
      '/type',
      '/action',
      '/timestamp',
      '/data/resources/0/id',
      '/data/resources/0/type',
      '/data/resources/0/status',
      '/data/resources/0/config',
      '/data/resources/1/name',
      '/data/resources/2/data/status',
      '/data/resources/3',
      '/data/resources/2/id',
      '/data/interfaces/0/type',
      '/data/interfaces/0/resource_id',
      '/data/interfaces/1/type',
      '/data/interfaces/1/config/depth',
    ]);
    const byPath = new Map(problems.map((p) => [p.path, p]));
    assert.deepEqual(byPath.get('/type')!.allowed, ['RESOURCE']);
    assert.deepEqual(byPath.get('/data/resources/0/type')!.allowed, ['VM', 'URL']);
    assert.deepEqual(byPath.get('/data/interfaces/0/type')!.allowed, ['TERMINAL', 'WEB_INTERFACE', 'REMOTE_DESKTOP']);
    assert.match(byPath.get('/data/resources/2/id')!.message, /\/data\/resources\/1/);
  });

  it('refuses a body that is not an object at the root pointer', () => {
    assert.deepEqual(paths(problemsOf([])), ['']);
    assert.deepEqual(paths(problemsOf(null)), ['']);
    assert.deepEqual(paths(problemsOf('{}')), ['']);
  });

  it('requires data with a resources array, and lets interfaces default to none', () => {
    const base = { source_message_id: 'm1', type: 'RESOURCE', action: 'UPDATED' };
    assert.deepEqual(paths(problemsOf(base)), ['/data']);
    assert.deepEqual(paths(problemsOf({ ...base, data: [] })), ['/data']);
    assert.deepEqual(paths(problemsOf({ ...base, data: {} })), ['/data/resources']);
    assert.deepEqual(paths(problemsOf({ ...base, data: { resources: [], interfaces: null } })), ['/data/interfaces']);
    assert.deepEqual(valueOf({ ...base, data: { resources: [] } }).data, { resources: [], interfaces: [] });
  });

  it('requires a resource type and status for CREATED and UPDATED but not for DELETED', () => {
    const body = (action: string) => ({
      source_message_id: 'm1',
      type: 'RESOURCE',
      action,
      data: { resources: [{ id: 'vm-1' }] },
    });
    const problems = problemsOf(body('UPDATED'));
    assert.deepEqual(paths(problems), ['/data/resources/0/type', '/data/resources/0/status']);
    assert.deepEqual(problems[1]!.allowed, STATUSES);
    assert.deepEqual(valueOf(body('DELETED')).data.resources, [{ id: 'vm-1' }]);
  });

  it('does not require resource details when the action itself is wrong', () => {
    const body = { source_message_id: 'm1', type: 'RESOURCE', action: 'REMOVED', data: { resources: [{ id: 'a' }] } };
    const problems = problemsOf(body);
    assert.deepEqual(paths(problems), ['/action']);
  });

  it('refuses a status and data.status that disagree', () => {
    const body = seedExample('READY');
    (body.data as { resources: Record<string, unknown>[] }).resources[0]!.status = 'STARTING';
    const problems = problemsOf(body);
    assert.deepEqual(paths(problems), ['/data/resources/0/data/status']);
    assert.match(problems[0]!.message, /'READY'.*'STARTING'/);
  });

  it('refuses the same interface twice in one message', () => {
    const body = seedExample('READY');
    (body.data as { interfaces: unknown[] }).interfaces.push({ type: 'TERMINAL', resource_id: '619a8bbe' });
    assert.deepEqual(paths(problemsOf(body)), ['/data/interfaces/2']);
  });

  it('enforces the size limits', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ id: `r${i}`, type: 'VM', status: 'READY' }));
    const body = { source_message_id: 'x'.repeat(201), type: 'RESOURCE', action: 'CREATED', data: { resources: many } };
    assert.deepEqual(paths(problemsOf(body)), ['/source_message_id', '/data/resources']);
    const long: Record<string, unknown> = { ...seedExample('READY'), source_message_id: 'x'.repeat(200) };
    (long.data as { resources: Record<string, unknown>[] }).resources[0]!.name = 'n'.repeat(1001);
    assert.deepEqual(paths(problemsOf(long)), ['/data/resources/0/name']);
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 40; i++) cursor = cursor.next = {};
    const nested = seedExample('READY');
    (nested.data as { resources: Record<string, unknown>[] }).resources[0]!.config = deep;
    assert.equal(problemsOf(nested).length, 1);
  });

  it('normalises the timestamp to UTC and refuses dates it cannot order', () => {
    const at = (timestamp: unknown) => ({ ...seedExample('READY'), timestamp });
    assert.equal(valueOf(at('2024-05-01T14:00:00.25+02:00')).timestamp, '2024-05-01T12:00:00.250Z');
    assert.equal(valueOf(at('2024-02-29T23:59:59Z')).timestamp, '2024-02-29T23:59:59.000Z');
    const refused = ['2024-05-01', '2024-05-01T12:00:00', '2023-02-29T00:00:00Z', '2024-05-01T25:00:00Z', 1714564800];
    for (const bad of refused) {
      assert.deepEqual(paths(problemsOf(at(bad))), ['/timestamp'], String(bad));
    }
  });

  it('ignores unknown keys and keeps config as given', () => {
    const body = seedExample('READY');
    body.extra = true;
    const resource = (body.data as { resources: Record<string, unknown>[] }).resources[0]!;
    resource.region = 'eu';
    resource.config = { ip: '10.0.0.4', ports: [22] };
    const value = valueOf(body);
    assert.equal('extra' in value, false);
    assert.deepEqual(value.data.resources[0], {
      id: '25f377ac',
      type: 'VM',
      name: 'server',
      status: 'READY',
      config: { ip: '10.0.0.4', ports: [22] },
    });
  });

  it('escapes JSON pointer tokens inside config', () => {
    const body = seedExample('READY');
    (body.data as { resources: Record<string, unknown>[] }).resources[0]!.config = { 'a/b~c': Number.NaN };
    assert.deepEqual(paths(problemsOf(body)), ['/data/resources/0/config/a~1b~0c']);
  });
});
