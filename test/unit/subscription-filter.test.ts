import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilter, type Compiled } from '../../src/filter/compile.js';
import { compareNumberTexts } from '../../src/filter/exact-number.js';
import { filterDocument, matchesFilter } from '../../src/filter/evaluate.js';
import { FIELD_OPERATORS, MAX_FILTER_BYTES, MAX_FILTER_DEPTH, MAX_FILTER_NODES } from '../../src/filter/language.js';
import { storedFilter } from '../../src/filter/stored.js';
import { parseLossless } from '../../src/util/lossless-json.js';

const event = (dataText: string, over: Partial<Parameters<typeof filterDocument>[0]> = {}) =>
  filterDocument({
    type: 'ONDEMAND_ENROLLMENT',
    action: 'STARTED',
    result: 'succeed',
    tenant: 'acme',
    entityIds: ['enr_1', 'enr_2'],
    domainId: 'dom_1',
    projectId: null,
    data: parseLossless(dataText),
    ...over,
  });

function compiled(filter: string) {
  const c = compileFilter(filter);
  if (!c.ok) assert.fail(`filter ${filter} refused: ${JSON.stringify(c.problems)}`);
  return c.filter;
}

const matches = (filter: string, data = '{}', over = {}) => matchesFilter(compiled(filter), event(data, over));

function problems(filter: string): NonNullable<Extract<Compiled, { ok: false }>['problems']> {
  const c = compileFilter(filter);
  if (c.ok) assert.fail(`filter ${filter} was accepted`);
  return c.problems;
}

describe('exact number comparison', () => {
  it('orders integers beyond 2^53, decimals and exponents by their value', () => {
    assert.equal(compareNumberTexts('9007199254740993', '9007199254740992'), 1);
    assert.equal(compareNumberTexts('9007199254740992', '9007199254740993'), -1);
    assert.equal(compareNumberTexts('123456789012345678901234567890', '123456789012345678901234567890'), 0);
    assert.equal(compareNumberTexts('1.50', '1.5'), 0);
    assert.equal(compareNumberTexts('1e3', '1000'), 0);
    assert.equal(compareNumberTexts('1E-2', '0.01'), 0);
    assert.equal(compareNumberTexts('-0', '0'), 0);
    assert.equal(compareNumberTexts('-5', '3'), -1);
    assert.equal(compareNumberTexts('-10', '-9'), -1);
    assert.equal(compareNumberTexts('0.1000000000000000000000000001', '0.1'), 1);
    assert.equal(compareNumberTexts('99.99', '100'), -1);
    assert.equal(compareNumberTexts('0', '0.0000001'), -1);
    assert.equal(compareNumberTexts('-0.0000001', '0'), -1);
    assert.equal(compareNumberTexts('abc', '1'), null);
  });
});

describe('filter operators', () => {
  it('$eq, and a plain value meaning $eq', () => {
    assert.equal(matches('{"data.plan": "pro"}', '{"plan": "pro"}'), true);
    assert.equal(matches('{"data.plan": {"$eq": "pro"}}', '{"plan": "free"}'), false);
    assert.equal(matches('{"type": "ONDEMAND_ENROLLMENT", "action": "STARTED"}'), true);
    assert.equal(matches('{"action": "STOPPED"}'), false);
    assert.equal(matches('{"data.n": 1.0}', '{"n": 1}'), true);
    assert.equal(matches('{"data.flag": true}', '{"flag": true}'), true);
    assert.equal(matches('{"data.flag": null}', '{"flag": null}'), true);
    assert.equal(matches('{"data.flag": null}', '{}'), false);
    assert.equal(matches('{"data.o": {"$eq": {"a": [1, {"b": 2}]}}}', '{"o": {"a": [1, {"b": 2.0}]}}'), true);
    assert.equal(matches('{"data.o": {"$eq": {"a": 1}}}', '{"o": {"a": 1, "b": 2}}'), false);
    assert.equal(matches('{"data.n": "1"}', '{"n": 1}'), false, 'a string never equals a number');
  });

  it('$neq is the opposite of $eq, so a missing field is not equal', () => {
    assert.equal(matches('{"data.plan": {"$neq": "free"}}', '{"plan": "pro"}'), true);
    assert.equal(matches('{"data.plan": {"$neq": "pro"}}', '{"plan": "pro"}'), false);
    assert.equal(matches('{"data.plan": {"$neq": "pro"}}', '{}'), true);
  });

  it('$gt $gte $lt $lte on numbers and strings, never across kinds', () => {
    assert.equal(matches('{"data.n": {"$gt": 5}}', '{"n": 6}'), true);
    assert.equal(matches('{"data.n": {"$gt": 5}}', '{"n": 5}'), false);
    assert.equal(matches('{"data.n": {"$gte": 5}}', '{"n": 5}'), true);
    assert.equal(matches('{"data.n": {"$lt": 5}}', '{"n": 4.99}'), true);
    assert.equal(matches('{"data.n": {"$lte": 5}}', '{"n": 5.01}'), false);
    assert.equal(matches('{"data.n": {"$gt": 5, "$lt": 10}}', '{"n": 7}'), true);
    assert.equal(matches('{"data.n": {"$gt": 5, "$lt": 10}}', '{"n": 12}'), false);
    assert.equal(matches('{"data.at": {"$gte": "2026-01-01"}}', '{"at": "2026-03-04T00:00:00Z"}'), true);
    assert.equal(matches('{"data.n": {"$gt": 5}}', '{"n": "7"}'), false);
    assert.equal(matches('{"data.n": {"$lt": "z"}}', '{"n": 1}'), false);
    assert.equal(matches('{"data.n": {"$gt": 5}}', '{}'), false);
  });

  it('$in and $nin', () => {
    assert.equal(matches('{"data.region": {"$in": ["eu", "us"]}}', '{"region": "eu"}'), true);
    assert.equal(matches('{"data.region": {"$in": ["eu", "us"]}}', '{"region": "ap"}'), false);
    assert.equal(matches('{"data.region": {"$nin": ["eu", "us"]}}', '{"region": "ap"}'), true);
    assert.equal(matches('{"data.region": {"$nin": ["eu", "us"]}}', '{"region": "us"}'), false);
    assert.equal(matches('{"data.region": {"$nin": ["eu"]}}', '{}'), true);
    assert.equal(matches('{"data.n": {"$in": [1, 2]}}', '{"n": 2.0}'), true);
    assert.equal(matches('{"data.n": {"$in": []}}', '{"n": 2}'), false);
  });

  it('$exist', () => {
    assert.equal(matches('{"data.lab.url": {"$exist": true}}', '{"lab": {"url": null}}'), true, 'a null value exists');
    assert.equal(matches('{"data.lab.url": {"$exist": true}}', '{"lab": {}}'), false);
    assert.equal(matches('{"data.lab.url": {"$exist": false}}', '{"lab": 5}'), true);
    assert.equal(matches('{"scope.project_id": {"$exist": false}}'), true);
    assert.equal(matches('{"scope.domain_id": {"$exist": true}}'), true);
    assert.equal(matches('{"data.toString": {"$exist": true}}', '{}'), false, 'prototype names are not fields');
  });

  it('$startsWith and $endsWith on strings only', () => {
    assert.equal(matches('{"tenant": {"$startsWith": "ac"}}'), true);
    assert.equal(matches('{"tenant": {"$endsWith": "me"}}'), true);
    assert.equal(matches('{"tenant": {"$endsWith": "ac"}}'), false);
    assert.equal(matches('{"data.n": {"$startsWith": "1"}}', '{"n": 12}'), false);
  });

  it('$and, $or and $not, nested', () => {
    const f = '{"$or": [{"data.plan": "pro"}, {"$and": [{"data.seats": {"$gte": 10}}, {"$not": {"tenant": "acme"}}]}]}';
    assert.equal(matches(f, '{"plan": "pro"}'), true);
    assert.equal(matches(f, '{"plan": "free", "seats": 12}'), false);
    assert.equal(matches(f, '{"plan": "free", "seats": 12}', { tenant: 'globex' }), true);
    assert.equal(matches(f, '{"plan": "free", "seats": 2}', { tenant: 'globex' }), false);
    assert.equal(matches('{"$not": {"result": "failed"}}'), true);
    assert.equal(matches('{"$not": {"result": "failed"}}', '{}', { result: 'failed' }), false);
  });

  it('nested objects name fields below their key, logical operators included', () => {
    assert.equal(matches('{"data": {"user": {"role": "admin"}}}', '{"user": {"role": "admin", "id": 1}}'), true);
    assert.equal(matches('{"data": {"user": {"role": "admin"}}}', '{"user": {"role": "guest"}}'), false);
    assert.equal(matches('{"data.user": {"$or": [{"role": "admin"}, {"id": 7}]}}', '{"user": {"id": 7}}'), true);
    assert.equal(matches('{"scope": {"domain_id": "dom_1"}}'), true);
  });

  it('all members of a filter must hold; {} matches every event', () => {
    assert.equal(matches('{"tenant": "acme", "data.plan": "pro"}', '{"plan": "pro"}'), true);
    assert.equal(matches('{"tenant": "acme", "data.plan": "pro"}', '{"plan": "free"}'), false);
    assert.equal(matches('{}'), true);
  });
});

describe('arrays match if any element matches', () => {
  it('a list field matches when one element does', () => {
    assert.equal(matches('{"entity_ids": "enr_2"}'), true);
    assert.equal(matches('{"entity_ids": {"$startsWith": "enr_"}}'), true);
    assert.equal(matches('{"entity_ids": {"$in": ["x", "enr_1"]}}'), true);
    assert.equal(matches('{"entity_ids": {"$nin": ["enr_1"]}}'), false);
    assert.equal(matches('{"entity_ids": {"$neq": "enr_9"}}'), true);
    assert.equal(matches('{"data.tags": "gpu"}', '{"tags": ["cpu", "gpu"]}'), true);
    assert.equal(matches('{"data.scores": {"$gt": 90}}', '{"scores": [10, 95]}'), true);
  });
  it('the whole array still compares with $eq', () => {
    assert.equal(matches('{"entity_ids": {"$eq": ["enr_1", "enr_2"]}}'), true);
    assert.equal(matches('{"entity_ids": {"$eq": ["enr_2", "enr_1"]}}'), false);
  });
  it('a name through an array looks into every element; a number picks one', () => {
    assert.equal(matches('{"data.items.sku": "B"}', '{"items": [{"sku": "A"}, {"sku": "B"}]}'), true);
    assert.equal(matches('{"data.items.sku": "C"}', '{"items": [{"sku": "A"}, {"sku": "B"}]}'), false);
    assert.equal(matches('{"data.items.0.sku": "B"}', '{"items": [{"sku": "A"}, {"sku": "B"}]}'), false);
    assert.equal(matches('{"data.items.1.sku": "B"}', '{"items": [{"sku": "A"}, {"sku": "B"}]}'), true);
    assert.equal(matches('{"entity_ids.1": "enr_2"}'), true);
    assert.equal(matches('{"entity_ids.5": {"$exist": true}}'), false);
  });
});

describe('big numbers compare exactly', () => {
  const big = '9007199254740993';
  it('$eq tells 2^53+1 from 2^53', () => {
    assert.equal(matches(`{"data.id": ${big}}`, `{"id": ${big}}`), true);
    assert.equal(matches(`{"data.id": ${big}}`, '{"id": 9007199254740992}'), false);
    assert.equal(matches(`{"data.id": {"$in": [${big}]}}`, '{"id": 9007199254740992}'), false);
  });
  it('$gt/$lt on 64-bit integers and long decimals', () => {
    assert.equal(matches('{"data.id": {"$gt": 9007199254740992}}', `{"id": ${big}}`), true);
    assert.equal(matches(`{"data.id": {"$gt": ${big}}}`, `{"id": ${big}}`), false);
    assert.equal(matches(`{"data.id": {"$lt": ${big}}}`, '{"id": 9007199254740992}'), true);
    assert.equal(matches('{"data.id": {"$lte": 18446744073709551615}}', '{"id": 18446744073709551616}'), false);
    assert.equal(matches('{"data.price": {"$gt": 0.1}}', '{"price": 0.10000000000000000001}'), true);
    assert.equal(matches('{"data.price": {"$lt": 0.30000000000000001}}', '{"price": 0.3}'), true);
  });
});

describe('missing paths', () => {
  it('match only $neq, $nin and $exist:false', () => {
    for (const op of FIELD_OPERATORS) {
      const operand = { $in: '[1]', $nin: '[1]', $exist: 'false', $startsWith: '"a"', $endsWith: '"a"' }[op as string] ?? '1';
      const expected = op === '$neq' || op === '$nin' || op === '$exist';
      assert.equal(matches(`{"data.nope.deeper": {"${op}": ${operand}}}`, '{"nope": 3}'), expected, op);
    }
  });
});

describe('validation', () => {
  it('names the path inside the filter and the allowed operators for an unknown operator', () => {
    const [p] = problems('{"$and": [{"data.amount": {"$greater": 5}}]}');
    assert.equal(p!.path, '/$and/0/data.amount/$greater');
    assert.match(p!.message, /\$greater is not an operator/);
    assert.deepEqual(p!.allowed, [...FIELD_OPERATORS]);
  });
  it('refuses a field operator where filters go, and a logical one under a field', () => {
    const [a] = problems('{"$eq": 5}');
    assert.equal(a!.path, '/$eq');
    assert.deepEqual(a!.allowed, ['$and', '$or', '$not']);
    const [u] = problems('{"$where": "1"}');
    assert.equal(u!.path, '/$where');
    assert.match(u!.message, /\$where is not an operator here/);
    assert.deepEqual(u!.allowed, ['$and', '$or', '$not']);
    const [b] = problems('{"data.x": {"$gt": 1, "$or": [{"y": 1}]}}');
    assert.equal(b!.path, '/data.x/$or');
    assert.match(b!.message, /combines filters/);
    const [c] = problems('{"data.x": {"$or": [{"$eq": 1}]}}');
    assert.equal(c!.path, '/data.x/$or/0/$eq', 'under $or, a filter object again');
  });
  it('refuses paths an event does not have', () => {
    assert.match(problems('{"payload.x": 1}')[0]!.message, /starts with one of data, type, action, result, tenant, entity_ids, scope/);
    assert.match(problems('{"type.name": "x"}')[0]!.message, /type is a string/);
    assert.match(problems('{"scope.region": "x"}')[0]!.message, /scope has only domain_id and project_id/);
    assert.match(problems('{"entity_ids.first": "x"}')[0]!.message, /entity_ids\.N/);
    assert.match(problems('{"data..x": 1}')[0]!.message, /empty segment/);
  });
  it('checks each operand', () => {
    const list = problems('{"data.a": {"$gt": true}, "data.b": {"$in": "x"}, "data.c": {"$exist": "yes"}, "data.d": {"$startsWith": 1}, "data.e": {"$lt": [1]}}');
    assert.deepEqual(
      list.map((p) => p.path),
      ['/data.a/$gt', '/data.b/$in', '/data.c/$exist', '/data.d/$startsWith', '/data.e/$lt'],
    );
    assert.match(list[0]!.message, /number or a string, not a boolean/);
    assert.match(list[1]!.message, /array/);
    assert.match(list[2]!.message, /true or false/);
  });
  it('refuses bad $and/$or/$not shapes', () => {
    assert.match(problems('{"$and": []}')[0]!.message, /non-empty array/);
    assert.match(problems('{"$or": {"a": 1}}')[0]!.message, /non-empty array of filters, not an object/);
    assert.equal(problems('{"$or": [1]}')[0]!.path, '/$or/0');
    assert.match(problems('{"$not": [1]}')[0]!.message, /filter object, not an array/);
  });
  it('refuses mixed and empty condition objects, and a filter that is not an object', () => {
    assert.match(problems('{"data.x": {"$gt": 1, "y": 2}}')[0]!.message, /mixes operators and field names/);
    assert.match(problems('{"data.x": {}}')[0]!.message, /empty object/);
    assert.match(problems('[1]')[0]!.message, /must be a JSON object/);
    assert.match(problems('"pro"')[0]!.message, /must be a JSON object/);
  });
  it('escapes / and ~ in the JSON pointer', () => {
    assert.equal(problems('{"data.a/b~c": {"$nope": 1}}')[0]!.path, '/data.a~1b~0c/$nope');
  });
  it('lists every problem at once', () => {
    assert.equal(problems('{"x": 1, "data.y": {"$bad": 1}, "$or": []}').length, 3);
  });
  it('bounds depth, size and node count, saying the bound', () => {
    let deep = '{"tenant": "a"}';
    for (let i = 0; i < MAX_FILTER_DEPTH; i++) deep = `{"$not": ${deep}}`;
    const [d] = problems(deep);
    assert.match(d!.message, new RegExp(`over the limit of ${MAX_FILTER_DEPTH}`));
    assert.equal(d!.path, '/$not'.repeat(MAX_FILTER_DEPTH));
    let ok = '{"tenant": "a"}';
    for (let i = 1; i < MAX_FILTER_DEPTH; i++) ok = `{"$not": ${ok}}`;
    assert.equal(compileFilter(ok).ok, true, 'depth 8 is allowed');

    const big = JSON.stringify({ 'data.s': 'x'.repeat(MAX_FILTER_BYTES) });
    assert.match(problems(big)[0]!.message, /over the limit of 4096 bytes \(4 KiB\)/);

    const many = JSON.stringify({ 'data.n': { $in: Array.from({ length: MAX_FILTER_NODES }, (_, i) => i) } });
    assert.ok(Buffer.byteLength(many) < MAX_FILTER_BYTES);
    assert.match(problems(many)[0]!.message, new RegExp(`JSON values, over the limit of ${MAX_FILTER_NODES}`));
  });
});

describe('the README examples', () => {
  it('do what the README says', () => {
    const paying = '{"data.plan": {"$in": ["pro", "enterprise"]}}';
    assert.equal(matches(paying, '{"plan": "enterprise"}'), true);
    assert.equal(matches(paying, '{"plan": "free"}'), false);

    const failedServers = '{"result": "failed", "scope.domain_id": "dom_7", "action": {"$nin": ["sync_status", "sync_update"]}}';
    const server = { type: 'server', result: 'failed', domainId: 'dom_7' };
    assert.equal(matches(failedServers, '{}', { ...server, action: 'start' }), true);
    assert.equal(matches(failedServers, '{}', { ...server, action: 'sync_status' }), false);
    assert.equal(matches(failedServers, '{}', { ...server, action: 'start', domainId: 'dom_8' }), false);
    assert.equal(matches(failedServers, '{}', { ...server, action: 'start', result: 'succeed' }), false);

    const bigAccounts = '{"$or": [{"data.account_id": {"$gte": 18014398509481985}}, {"data.tags": "urgent"}]}';
    assert.equal(matches(bigAccounts, '{"account_id": 18014398509481985}'), true);
    assert.equal(matches(bigAccounts, '{"account_id": 18014398509481984}'), false, '2^54 sits below the cut-over, though a double cannot tell them apart');
    assert.equal(matches(bigAccounts, '{"account_id": 1, "tags": ["urgent"]}'), true);
  });
});

describe('hostile filters', () => {
  it('reach only own fields: __proto__ and constructor are names like any other', () => {
    assert.equal(matches('{"data.__proto__.x": 1}', '{"__proto__": {"x": 1}}'), true);
    assert.equal(matches('{"data.__proto__.x": 1}', '{}'), false);
    assert.equal(matches('{"data.constructor": {"$exist": true}}', '{}'), false);
    assert.equal(matches('{"data": {"__proto__": {"polluted": true}}}', '{}'), false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
  it('a huge exponent compares without building the number', () => {
    assert.equal(matches('{"data.n": {"$gt": 1e999999999}}', '{"n": 1e1000000000}'), true);
    assert.equal(matches('{"data.n": {"$lt": 1e-999999999}}', '{"n": 0}'), true);
  });
});

describe('stored filters', () => {
  it('are compiled once per text, and one that no longer compiles matches nothing', () => {
    const a = storedFilter('{"tenant":"acme"}')!;
    assert.equal(storedFilter('{"tenant":"acme"}'), a, 'the same compiled filter for the same text');
    assert.equal(matchesFilter(a, event('{}')), true);
    assert.equal(storedFilter(null), null);
    const broken = storedFilter('{"tenant":{"$like":"a"}}')!;
    assert.equal(matchesFilter(broken, event('{}')), false);
  });
});
