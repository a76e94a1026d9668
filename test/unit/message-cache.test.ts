import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeMessageCache, messageView } from '../../src/delivery/message-cache.js';

const view = (id: string) => messageView({ id, tenant: 't', type: 'EVENT', action: 'STARTED', result: 'succeeded', created_at: 0, data: '{}' }, ['e1']);

describe('the message hand-over cache (published messages kept for the worker in the same process)', () => {
  it('keeps at most maxEntries, dropping the oldest first', () => {
    const cache = makeMessageCache({ maxEntries: 3, maxBytes: 1_000_000 });
    for (const id of ['a', 'b', 'c', 'd']) cache.put(view(id), 10);
    assert.equal(cache.get('a'), undefined);
    assert.deepEqual(['b', 'c', 'd'].map((id) => cache.get(id)?.id), ['b', 'c', 'd']);
  });

  it('keeps at most maxBytes of data, however few the messages', () => {
    const cache = makeMessageCache({ maxEntries: 1000, maxBytes: 1000 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) cache.put(view(id), 120);
    cache.put(view('f'), 120);
    // 6 x 120 = 720 fit; two more push the oldest out.
    cache.put(view('g'), 120);
    cache.put(view('h'), 120);
    cache.put(view('i'), 120);
    assert.equal(cache.get('a'), undefined, 'the oldest went to make room');
    assert.ok(cache.get('i'));
    const kept = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].filter((id) => cache.get(id));
    assert.ok(kept.length * 120 <= 1000, `${kept.length} kept`);
  });

  it('does not keep a message larger than an eighth of the budget, and keeps what it held', () => {
    const cache = makeMessageCache({ maxEntries: 1000, maxBytes: 800 });
    cache.put(view('small'), 50);
    cache.put(view('huge'), 101);
    assert.equal(cache.get('huge'), undefined);
    assert.ok(cache.get('small'));
  });
});
