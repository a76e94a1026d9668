import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { emptyEntityState, serializeEntityState } from '../../src/incoming/canonical-state.js';
import { applyIncoming } from '../../src/incoming/reduce.js';
import type { EntityState, IncomingMessage } from '../../src/incoming/types.js';
import { validateIncoming } from '../../src/incoming/validate.js';

const T1 = '2024-05-01T12:00:00.000Z';
const T2 = '2024-05-01T12:05:00.000Z';
const T3 = '2024-05-01T12:10:00.000Z';
/** Between T1 and T2: newer than what CREATED said, older than what UPDATED said. */
const T1_5 = '2024-05-01T12:02:30.000Z';

/** Builds a message the way Herald receives it: through validation. */
function message(action: string, data: Record<string, unknown>, timestamp?: string): IncomingMessage {
  const body = { source_message_id: 'msg_1', type: 'RESOURCE', action, data, ...(timestamp ? { timestamp } : {}) };
  const result = validateIncoming(body);
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

function apply(state: EntityState, msg: IncomingMessage, now: string) {
  const result = applyIncoming(state, msg, now);
  assert.ok(result.ok, JSON.stringify(result));
  return result;
}

const created = message(
  'CREATED',
  {
    resources: [
      { id: 'vm-server', type: 'VM', name: 'server', status: 'STARTING', config: { size: 'small' } },
      { id: 'vm-client', type: 'VM', name: 'client', data: { status: 'PREPARING' } },
    ],
  },
  T1,
);

const ready = message(
  'UPDATED',
  {
    resources: [{ id: 'vm-server', type: 'VM', status: 'READY', config: { ip: '10.0.0.4' } }],
    interfaces: [{ type: 'TERMINAL', resource_id: 'vm-server', config: { url: 'wss://lab/t/1' } }],
  },
  T2,
);

describe('applyIncoming', () => {
  it('CREATED then UPDATED shows the VM READY with its TERMINAL', () => {
    const first = apply(emptyEntityState(), created, T1);
    assert.equal(first.changed, true);
    const second = apply(first.state, ready, T2);
    assert.equal(second.changed, true);
    assert.deepEqual(second.state, {
      resources: [
        {
          id: 'vm-client',
          type: 'VM',
          name: 'client',
          status: 'PREPARING',
          config: {},
          updated_at: T1,
          source_ts: T1,
        },
        {
          id: 'vm-server',
          type: 'VM',
          name: 'server',
          status: 'READY',
          config: { ip: '10.0.0.4', size: 'small' },
          updated_at: T2,
          source_ts: T2,
        },
      ],
      interfaces: [{ type: 'TERMINAL', resource_id: 'vm-server', name: null, config: { url: 'wss://lab/t/1' } }],
    });
  });

  it('applying the same message twice changes nothing the second time', () => {
    const once = apply(apply(emptyEntityState(), created, T1).state, ready, T2);
    const twice = apply(once.state, ready, T3);
    assert.equal(twice.changed, false);
    assert.equal(serializeEntityState(twice.state), serializeEntityState(once.state));
    assert.equal(twice.state.resources.find((r) => r.id === 'vm-server')!.updated_at, T2);
    assert.equal(twice.state.interfaces.length, 1);
    const recreated = apply(once.state, created, T3);
    assert.equal(recreated.state.resources.find((r) => r.id === 'vm-client')!.updated_at, T1);
  });

  it('an update older than what is stored leaves that resource alone and applies the rest', () => {
    const state = apply(apply(emptyEntityState(), created, T1).state, ready, T2).state;
    const late = message(
      'UPDATED',
      {
        resources: [
          { id: 'vm-server', type: 'VM', status: 'STARTING' },
          { id: 'vm-client', type: 'VM', status: 'READY' },
        ],
        interfaces: [
          { type: 'WEB_INTERFACE', resource_id: 'vm-server' },
          { type: 'TERMINAL', resource_id: 'vm-client' },
        ],
      },
      T1_5,
    );
    const next = apply(state, late, T3);
    const byId = new Map(next.state.resources.map((r) => [r.id, r]));
    assert.equal(byId.get('vm-server')!.status, 'READY');
    assert.equal(byId.get('vm-server')!.source_ts, T2);
    assert.equal(byId.get('vm-client')!.status, 'READY');
    assert.equal(byId.get('vm-client')!.source_ts, T1_5);
    assert.deepEqual(
      next.state.interfaces.map((i) => `${i.resource_id}/${i.type}`),
      ['vm-client/TERMINAL', 'vm-server/TERMINAL'],
    );
  });

  it('a CREATED or DELETED older than what is stored does not roll the resource back either', () => {
    const state = apply(apply(emptyEntityState(), created, T1).state, ready, T2).state;
    const lateCreate = message('CREATED', { resources: [{ id: 'vm-server', type: 'VM', status: 'STARTING' }] }, T1_5);
    const lateDelete = message('DELETED', { resources: [{ id: 'vm-server' }, { id: 'vm-client' }] }, T1_5);
    assert.equal(apply(state, lateCreate, T3).changed, false);
    const afterDelete = apply(state, lateDelete, T3).state;
    assert.deepEqual(
      afterDelete.resources.map((r) => r.id),
      ['vm-server'],
    );
    assert.equal(afterDelete.interfaces.length, 1);
  });

  it('a message without a timestamp applies and keeps the newest known source time', () => {
    const state = apply(emptyEntityState(), created, T1).state;
    const undated = message('UPDATED', { resources: [{ id: 'vm-server', type: 'VM', status: 'ERROR' }] });
    const server = apply(state, undated, T2).state.resources.find((r) => r.id === 'vm-server')!;
    assert.equal(server.status, 'ERROR');
    assert.equal(server.source_ts, T1);
  });

  it('UPDATED keeps an omitted name, merges config one level deep, and adds an unknown resource', () => {
    const state = apply(emptyEntityState(), created, T1).state;
    const update = message('UPDATED', {
      resources: [
        { id: 'vm-server', type: 'VM', status: 'READY', config: { size: 'large', disk: { gb: 20 } } },
        { id: 'url-docs', type: 'URL', status: 'READY', name: 'docs' },
      ],
    });
    const next = apply(state, update, T2).state;
    const server = next.resources.find((r) => r.id === 'vm-server')!;
    assert.equal(server.name, 'server');
    assert.deepEqual(server.config, { disk: { gb: 20 }, size: 'large' });
    assert.deepEqual(
      next.resources.map((r) => r.id),
      ['url-docs', 'vm-client', 'vm-server'],
    );
  });

  it('CREATED for an existing resource replaces it', () => {
    const state = apply(emptyEntityState(), created, T1).state;
    const again = message('CREATED', { resources: [{ id: 'vm-server', type: 'VM', status: 'STARTING' }] }, T2);
    const server = apply(state, again, T2).state.resources.find((r) => r.id === 'vm-server')!;
    assert.equal(server.name, null);
    assert.deepEqual(server.config, {});
    assert.equal(server.updated_at, T2);
  });

  it('DELETED removes the resources with every interface on them, and listed interfaces', () => {
    const withInterfaces = message('UPDATED', {
      resources: [],
      interfaces: [
        { type: 'TERMINAL', resource_id: 'vm-client' },
        { type: 'REMOTE_DESKTOP', resource_id: 'vm-client', name: 'desk' },
        { type: 'WEB_INTERFACE', resource_id: 'vm-server', name: 'ide' },
      ],
    });
    const state = apply(apply(apply(emptyEntityState(), created, T1).state, ready, T2).state, withInterfaces, T2).state;
    assert.equal(state.interfaces.length, 4);
    const deleted = message('DELETED', {
      resources: [{ id: 'vm-client' }],
      interfaces: [{ type: 'WEB_INTERFACE', resource_id: 'vm-server', name: 'ide' }],
    });
    const next = apply(state, deleted, T3);
    assert.equal(next.changed, true);
    assert.deepEqual(
      next.state.resources.map((r) => r.id),
      ['vm-server'],
    );
    assert.deepEqual(next.state.interfaces, [
      { type: 'TERMINAL', resource_id: 'vm-server', name: null, config: { url: 'wss://lab/t/1' } },
    ]);
    assert.equal(apply(next.state, deleted, T3).changed, false);
  });

  it('refuses an interface on a resource that is nowhere, leaving the state as it was', () => {
    const state = apply(emptyEntityState(), created, T1).state;
    const before = serializeEntityState(state);
    const dangling = message('UPDATED', {
      resources: [{ id: 'vm-server', type: 'VM', status: 'READY' }],
      interfaces: [
        { type: 'TERMINAL', resource_id: 'vm-server' },
        { type: 'TERMINAL', resource_id: 'vm-ghost' },
      ],
    });
    const result = applyIncoming(state, dangling, T2);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.ok ? [] : result.problems.map((p) => p.path),
      ['/data/interfaces/1/resource_id'],
    );
    assert.equal(serializeEntityState(state), before);
  });

  it('an interface may point at a resource the same DELETED removes', () => {
    const state = apply(apply(emptyEntityState(), created, T1).state, ready, T2).state;
    const deleted = message('DELETED', {
      resources: [{ id: 'vm-server' }],
      interfaces: [{ type: 'TERMINAL', resource_id: 'vm-server' }],
    });
    assert.deepEqual(apply(state, deleted, T3).state.interfaces, []);
  });

  it('equal states serialise to identical bytes whatever order they were reported in', () => {
    const a = message('CREATED', {
      resources: [
        { id: 'b', type: 'VM', status: 'READY', config: { z: 1, a: { y: 2, x: 1 } } },
        { id: 'a', type: 'URL', status: 'READY' },
      ],
      interfaces: [
        { type: 'WEB_INTERFACE', resource_id: 'b', name: 'ide' },
        { type: 'TERMINAL', resource_id: 'b' },
      ],
    });
    const b = message('CREATED', {
      resources: [
        { id: 'a', type: 'URL', status: 'READY' },
        { id: 'b', type: 'VM', status: 'READY', config: { a: { x: 1, y: 2 }, z: 1 } },
      ],
      interfaces: [
        { type: 'TERMINAL', resource_id: 'b' },
        { type: 'WEB_INTERFACE', resource_id: 'b', name: 'ide' },
      ],
    });
    const left = apply(emptyEntityState(), a, T1).state;
    const right = apply(emptyEntityState(), b, T1).state;
    assert.equal(serializeEntityState(left), serializeEntityState(right));
    assert.equal(JSON.stringify(left), JSON.stringify(right));
  });

  it('never modifies the state it is given', () => {
    const state = apply(emptyEntityState(), created, T1).state;
    const copy = structuredClone(state);
    apply(state, ready, T2);
    apply(state, message('DELETED', { resources: [{ id: 'vm-server' }] }), T2);
    assert.deepEqual(state, copy);
  });
});
