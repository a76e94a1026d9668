import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { endpointForRender, makeRenderViews, openHeaders, sealHeaders, type EndpointRow } from '../../src/delivery/endpoint-render.js';
import { makeSecretBox } from '../../src/util/secret-box.js';
import { endpointRow } from '../helpers/delivery-rows.js';

const box = makeSecretBox(randomBytes(32).toString('base64'));

describe('endpoint rows as delivery renders them', () => {
  it('opens sealed headers, credentials and secrets; a rotated-out secret signs only until its time', () => {
    const row = endpointRow('e', {
      headers: sealHeaders(box, { 'X-Token': 't0ken' }),
      auth_user: 'u',
      auth_key: box.seal('k3y'),
      secret: box.seal('new'),
      previous_secret: box.seal('old'),
      previous_secret_until: 2000,
    }) as EndpointRow;
    assert.notEqual(row.headers, '{"X-Token":"t0ken"}', 'sealed at rest');
    assert.deepEqual(openHeaders(box, row.headers), { 'X-Token': 't0ken' });
    const before = endpointForRender(row, box, 1999);
    assert.deepEqual([before.secrets, before.auth, before.headers], [['new', 'old'], { user: 'u', key: 'k3y' }, { 'X-Token': 't0ken' }]);
    assert.deepEqual(endpointForRender(row, box, 2000).secrets, ['new']);
  });

  it('keeps one view per row object, made again once a rotated-out secret has expired', () => {
    const views = makeRenderViews(box);
    const row = endpointRow('e', { secret: box.seal('new'), previous_secret: box.seal('old'), previous_secret_until: 2000 }) as EndpointRow;
    const first = views(row, 1000);
    assert.equal(views(row, 1500), first, 'the same view while nothing changed');
    assert.deepEqual(views(row, 2500).secrets, ['new']);
    const copy = { ...row, secret: box.seal('other') };
    assert.deepEqual(views(copy, 2500).secrets, ['other'], 'a new row object (re-read) gets a view of its own');
  });
});
