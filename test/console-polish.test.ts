import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';

/**
 * The console as an operator reads it at 1,400 px in Chromium: delivery rows on one line with short ids and
 * local times, the endpoint form following its format, problems beside their fields, long pattern lists folded,
 * and the topic preview on an event the topic matches.
 */
const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const ci = process.env.CI === 'true';
const skip = !haveChromium && !ci ? `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (CI installs it and then requires it)` : false;
// A zone with a half-hour offset: a page that shows UTC, or the machine's zone, cannot pass by accident.
const ZONE = 'Asia/Kolkata';

let h: TestHerald;
let ok: Receiver;
let failing: Receiver;
let context: BrowserContext;
let page: Page;
let profile: string;
let failingId = '';

before(async () => {
  if (skip) return;
  assert.ok(haveChromium, `CI=true but Chromium is missing at ${CHROMIUM}`);
  h = await startTestHerald('sqlite', { HERALD_RETRY_SCHEDULE: '50ms' });
  ok = await startReceiver(() => ({ status: 200, body: '{"ok":true}' }));
  failing = await startReceiver(() => ({ status: 503, body: 'down for maintenance', headers: { 'x-request-id': 'req-7f3a' } }));
  const long = await h.api('POST', '/v1/endpoints', { name: 'Acme labs production backend for the eu-west-1 region', url: ok.url, format: 'strigo' });
  const bad = await h.api('POST', '/v1/endpoints', { name: 'Legacy billing bridge', url: failing.url, format: 'strigo' });
  assert.equal(long.status, 201);
  failingId = bad.json.id;
  for (const id of [long.json.id, bad.json.id]) await h.api('POST', '/v1/subscriptions', { endpoint_id: id, events: ['ONDEMAND_ENROLLMENT/*'] });
  for (let i = 0; i < 6; i++) {
    const pub = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: [`enr_${i}`] });
    assert.equal(pub.status, 202);
  }
  await until(async () => (await h.api('GET', '/v1/deliveries?status=failed')).json.data.length === 6, 15_000, 'six failed deliveries');
  await until(async () => (await h.api('GET', '/v1/deliveries?status=succeeded')).json.data.length === 6, 15_000, 'six delivered');
  profile = mkdtempSync(join(tmpdir(), 'herald-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    timezoneId: ZONE,
    permissions: ['clipboard-read', 'clipboard-write'],
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.addCookies([{ name: 'herald_token', value: TEST_TOKEN, url: h.url }]);
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
});

after(async () => {
  if (skip) return;
  await context?.close();
  await h?.stop();
  await ok?.close();
  await failing?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('deliveries: one line a row at 1,400 px, short ids that copy whole, local times with their zone', { skip }, async () => {
  await page.goto(`${h.url}/deliveries`);
  const rows = page.locator('#deliveries tbody tr[data-delivery]');
  assert.equal(await rows.count(), 12);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 1400, `the page fits 1,400 px (it is ${width} px wide)`);
  // A wrapped name or time makes its row taller than one with short text.
  const heights = await rows.evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
  const lineHeight = await page.locator('#deliveries tbody td').first().evaluate((td) => parseFloat(getComputedStyle(td).lineHeight) || 20);
  for (const hgt of heights) assert.ok(hgt < lineHeight * 2.2, `row of ${hgt} px is one line (line ${lineHeight} px)`);

  const first = rows.first();
  const fullId = (await first.getAttribute('data-delivery'))!;
  const shown = (await first.locator('.id code').innerText()).trim();
  assert.ok(shown.length < fullId.length && shown.startsWith('dlv_') && fullId.endsWith(shown.slice(-6)), `${shown} shortens ${fullId}`);
  assert.equal(await first.locator('.id').getAttribute('title'), fullId);
  await first.locator('button.copy').click();
  await until(async () => (await page.evaluate(() => navigator.clipboard.readText())) === fullId, 5000, 'the full id on the clipboard');

  const t = first.locator('time');
  const iso = (await t.getAttribute('datetime'))!;
  const expected = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
  const text = await t.innerText();
  assert.ok(text.startsWith(expected.replace(',', '')), `${text} is ${iso} in ${ZONE} (${expected})`);
  assert.match(text, /GMT\+5:30|IST/, 'the zone is named');

  // Without scripts the same cell says UTC.
  const raw = await (await fetch(`${h.url}/deliveries`, { headers: { cookie: `herald_token=${TEST_TOKEN}` } })).text();
  assert.match(raw, new RegExp(`<time datetime="${iso}"[^>]*>${iso.slice(0, 19).replace('T', ' ')} UTC</time>`));
});

test('endpoint form: fields follow the format, hidden ones are not sent, and a server without scripts drops them', { skip }, async () => {
  await page.goto(`${h.url}/endpoints`);
  const form = page.locator('form[hx-post="/endpoints"]');
  const visible = async (name: string) => form.locator(`[name=${name}]`).isVisible();
  await form.locator('select[name=format]').selectOption('strigo');
  assert.deepEqual(await Promise.all(['auth_user', 'body', 'lang', 'use_template', 'validate', 'headers', 'secret'].map(visible)), [true, false, false, false, false, true, true]);
  await form.locator('select[name=format]').selectOption('cloudpods');
  assert.deepEqual(await Promise.all(['auth_user', 'body', 'lang', 'use_template', 'validate', 'headers'].map(visible)), [false, true, true, true, true, true]);
  await form.locator('select[name=format]').selectOption('standard');
  assert.deepEqual(await Promise.all(['auth_user', 'body', 'lang', 'headers'].map(visible)), [false, false, false, true]);

  // Typed while strigo was chosen, then hidden by choosing standard: not sent.
  await form.locator('select[name=format]').selectOption('strigo');
  await form.locator('[name=name]').fill('Standard receiver');
  await form.locator('[name=url]').fill(ok.url);
  await form.locator('[name=auth_user]').fill('someone');
  await form.locator('[name=auth_key]').fill('k3y');
  await form.locator('select[name=format]').selectOption('standard');
  await form.locator('button[type=submit]').click();
  const created = await form.locator('[data-created]').getAttribute('data-created');
  const ep = (await h.api('GET', `/v1/endpoints/${created}`)).json;
  assert.equal(ep.format, 'standard');
  assert.equal(ep.auth, null, 'the hidden auth fields were not sent');

  // A browser without scripts sends every field: the console keeps only what the format reads.
  const plain = await fetch(`${h.url}/endpoints`, {
    method: 'POST',
    headers: { cookie: `herald_token=${TEST_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'No-script strigo', url: ok.url, format: 'strigo', body: '{"extra": 1}', lang: 'cn', use_template: '1', validate: '1' }),
  });
  const id = /data-created="([^"]+)"/.exec(await plain.text())?.[1];
  assert.ok(id, 'created');
  const noScript = (await h.api('GET', `/v1/endpoints/${id}`)).json;
  assert.deepEqual([noScript.body, noScript.lang, noScript.use_template], [{}, 'en', false]);
});

test('endpoint form: every problem is said in words beside its field', { skip }, async () => {
  await page.goto(`${h.url}/endpoints`);
  const form = page.locator('form[hx-post="/endpoints"]');
  await form.locator('[name=name]').fill('Two mistakes');
  await form.locator('[name=url]').fill('ftp://backend.invalid/hook');
  await form.locator('[name=headers]').fill('{"Content-Type": "text/plain"}');
  await form.locator('button[type=submit]').click();
  const urlNote = form.locator('label:has([name=url]) .field-problem');
  const headersNote = form.locator('label:has([name=headers]) .field-problem');
  await urlNote.waitFor();
  await headersNote.waitFor();
  assert.match(await urlNote.innerText(), /ftp/);
  assert.match(await headersNote.innerText(), /Content-Type/);
  for (const note of [urlNote, headersNote]) assert.doesNotMatch(await note.innerText(), /\/url|\/headers/, 'no JSON paths');
  assert.equal(await form.locator('#create-result li').count(), 0, 'not repeated below the form');
  assert.match(await form.locator('#create-result .problems').innerText(), /2 fields/);
  assert.equal(await form.locator('[name=url]').getAttribute('aria-invalid'), 'true');

  // Fixing them clears the notes.
  await form.locator('[name=url]').fill(ok.url);
  await form.locator('[name=headers]').fill('');
  await form.locator('button[type=submit]').click();
  await form.locator('[data-created]').waitFor();
  assert.equal(await form.locator('.field-problem').count(), 0);
});

test('topics: a long pattern list is folded and opens in place', { skip }, async () => {
  await page.goto(`${h.url}/topics`);
  const row = page.locator('tr', { has: page.locator('a', { hasText: 'resource create or delete' }) });
  const total = (await h.api('GET', '/v1/topics?limit=100')).json.data.find((t: { name: string }) => t.name === 'resource create or delete').events as string[];
  assert.ok(total.length > 50, `a long list (${total.length})`);
  const more = row.locator('details.more summary');
  assert.equal((await more.innerText()).trim(), `+${total.length - 3} more`);
  const folded = (await row.boundingBox())!.height;
  assert.ok(folded < 120, `the folded row is short (${folded} px)`);
  const last = row.getByText(total[total.length - 1]!, { exact: false });
  assert.equal(await last.isVisible(), false);
  await more.click();
  assert.equal(await last.isVisible(), true);
});

test('topic preview: the sample event is one the topic matches', { skip }, async () => {
  const topics = (await h.api('GET', '/v1/topics?limit=100')).json.data as Array<{ id: string; name: string; events: string[] }>;
  for (const [name, key] of [['resource operation failed', /\/FAILED$/], ['password expire', /^USER\/PASSWORD_EXPIRE_SOON$/]] as const) {
    const t = topics.find((x) => x.name === name)!;
    await page.goto(`${h.url}/topics/${t.id}`);
    const shown = (await page.locator('#sample-key').innerText()).trim();
    assert.match(shown, key, `${name}: sample ${shown}`);
    assert.equal(shown, t.events[0]!.toUpperCase(), 'the first pattern that names one event');
    await until(async () => !(await page.locator('#preview').innerText()).includes('rendering'), 10_000, 'the preview');
    assert.doesNotMatch(await page.locator('#preview').innerText(), /problem|refused/);
  }
});

test('failing endpoint: times are labelled and its recent deliveries fit one line each', { skip }, async () => {
  await page.goto(`${h.url}/endpoints/${failingId}`);
  assert.match(await page.locator('dd', { hasText: 'failing' }).innerText(), /since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d (GMT\+5:30|IST)/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 1400, `the page fits 1,400 px (it is ${width} px wide)`);
});
