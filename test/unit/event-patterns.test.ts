import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CLOUDPODS_DEFAULT_TOPICS } from '../../src/catalog/cloudpods-topics.js';
import { matchesAny, matchesPattern, patternProblem } from '../../src/catalog/patterns.js';

describe('event-key patterns', () => {
  const cases: [string, string, boolean][] = [
    ['ONDEMAND_ENROLLMENT/EXPIRED', 'ONDEMAND_ENROLLMENT/EXPIRED', true],
    ['ondemand_enrollment/expired', 'ONDEMAND_ENROLLMENT/EXPIRED', true],
    ['ONDEMAND_ENROLLMENT/EXPIRED', 'ondemand_enrollment/expired', true],
    ['ONDEMAND_ENROLLMENT/EXPIRED', 'ONDEMAND_ENROLLMENT/EXPIRED/FAILED', false],
    ['ONDEMAND_ENROLLMENT/*', 'ONDEMAND_ENROLLMENT/EXPIRED', true],
    ['ONDEMAND_ENROLLMENT/*', 'ONDEMAND_ENROLLMENT/EXPIRED/FAILED', true],
    ['ONDEMAND_ENROLLMENT/*', 'ONDEMAND_COURSE/CREATED', false],
    ['ONDEMAND_ENROLLMENT/*', 'ONDEMAND_ENROLLMENT', false],
    ['*/SYNC_CREATE', 'SERVER/SYNC_CREATE', true],
    ['*/SYNC_CREATE', 'DISK/SYNC_CREATE', true],
    ['*/SYNC_CREATE', 'SERVER/SYNC_CREATE/FAILED', false],
    ['*/SYNC_CREATE', 'SERVER/SYNC_UPDATE', false],
    ['*/*/FAILED', 'SERVER/START/FAILED', true],
    ['*/*/FAILED', 'SERVER/START', false],
    ['*/START/*', 'SERVER/START/FAILED', true],
    ['*/START/*', 'SERVER/START', false],
    ['SERVER/START/FAILED', 'SERVER/START/FAILED', true],
    ['SERVER/START/FAILED', 'SERVER/START', false],
    ['*', 'SERVER/START', true],
    ['*', 'SERVER/START/FAILED', true],
    ['*', 'CLASS/CREATED', true],
    ['*/*', 'SERVER/START', true],
    ['*/*', 'SERVER/START/FAILED', true],
    ['SERVER', 'SERVER/START', false],
  ];
  for (const [pattern, key, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${key}`, () => {
      assert.equal(matchesPattern(pattern, key), expected);
    });
  }

  it('matches any of several patterns', () => {
    assert.equal(matchesAny(['CLASS/*', '*/SYNC_DELETE'], 'DISK/SYNC_DELETE'), true);
    assert.equal(matchesAny([], 'DISK/SYNC_DELETE'), false);
  });

  it('validates patterns', () => {
    for (const ok of ['*', 'CLASS/*', 'class/created', '*/SYNC_CREATE', 'SERVER/START/FAILED', 'server/*/failed', 'A_1/B']) {
      assert.equal(patternProblem(ok), null, ok);
    }
    for (const bad of ['', '   ', 'A/B/C/D', 'A//B', '/A', 'A/', 'SERV*', 'A-B/C', 'A/B/SUCCEED', 'A B', 42]) {
      assert.equal(typeof patternProblem(bad), 'string', String(bad));
    }
  });
});

describe('default cloudpods topics', () => {
  const byName = new Map(CLOUDPODS_DEFAULT_TOPICS.map((t) => [t.name, t]));

  it('include every default topic with valid patterns and all four templates', () => {
    for (const name of [
      'resource create or delete',
      'resource change config',
      'resource update',
      'resource operation failed',
      'resource operation successed',
      'resource sync',
      'resource release',
      'resource attach or detach',
      'resource status changed',
      'system exception event',
      'cloud account sync status',
      'user lock',
      'password expire',
    ]) {
      const t = byName.get(name);
      assert.ok(t, name);
      assert.ok(t.patterns.length > 0);
      for (const p of t.patterns) assert.equal(patternProblem(p), null, p);
      for (const k of ['title_en', 'title_cn', 'content_en', 'content_cn'] as const) assert.ok(t[k].length > 0);
    }
  });

  it('spell resource x action as explicit event keys', () => {
    const cd = byName.get('resource create or delete')!.patterns;
    for (const k of ['HOST/CREATE', 'HOST/DELETE', 'HOST/PENDING_DELETE', 'PROJECT/DELETE', 'LOADBALANCERBACKENDGROUP/CREATE']) assert.ok(cd.includes(k), k);
    assert.equal(cd.length, 31 * 3);
    assert.ok(matchesAny(cd, 'SERVER/CREATE'));
    assert.ok(!matchesAny(cd, 'SERVER/CREATE/FAILED'));
    const failed = byName.get('resource operation failed')!.patterns;
    assert.ok(failed.includes('SERVER/START/FAILED'));
    assert.ok(failed.includes('CLOUDPHONE/MIGRATE/FAILED'));
    assert.ok(failed.every((p) => p.endsWith('/FAILED')));
    assert.ok(!matchesAny(failed, 'SERVER/START'));
    assert.ok(matchesAny(byName.get('resource sync')!.patterns, 'WEBAPP/SYNC_UPDATE'));
    assert.ok(matchesAny(byName.get('system exception event')!.patterns, 'HOST/HOST_DOWN/FAILED'));
    assert.deepEqual(byName.get('cloud account sync status')!.patterns, ['ACCOUNT/SYNC_ACCOUNT_STATUS']);
    assert.deepEqual(byName.get('user lock')!.patterns, ['USER/LOCK']);
    assert.deepEqual(byName.get('password expire')!.patterns, ['USER/PASSWORD_EXPIRE_SOON']);
  });
});
