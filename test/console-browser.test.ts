import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';

/**
 * The console in a real browser: Debian's Chromium driven by playwright-core. Each page is saved as a
 * screenshot in test-output/screenshots/ for a person to look at.
 */
const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
const haveChromium = existsSync(CHROMIUM);
const ci = process.env.CI === 'true';
const skip = !haveChromium && !ci ? `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (CI installs it and then requires it)` : false;

let h: TestHerald;
let backend: Receiver;
let context: BrowserContext;
let page: Page;
let profile: string;

before(async () => {
  if (skip) return;
  assert.ok(haveChromium, `CI=true but Chromium is missing at ${CHROMIUM}`);
  mkdirSync(SHOTS, { recursive: true });
  // One retry, then give up: the second failure leaves a failed delivery for the operator to retry by hand.
  h = await startTestHerald('sqlite', { HERALD_RETRY_SCHEDULE: '100ms' });
  backend = await startReceiver((_r, i) => (i < 2 ? { status: 503, body: 'warming up' } : { status: 200, body: '{"ok":true}' }));
  profile = mkdtempSync(join(tmpdir(), 'herald-chromium-'));
  // A fresh profile per run: nothing from an earlier run (cookies, cache) can make a test pass.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
});

after(async () => {
  if (skip) return;
  await context?.close();
  await h?.stop();
  await backend?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

let endpointId = '';
let callback = '';
let messageId = '';

test('console: a wrong token is refused and the admin token logs in', { skip }, async () => {
  const res = await page.goto(`${h.url}/deliveries`);
  assert.equal(new URL(page.url()).pathname, '/login', `redirected to log in (status ${res?.status()})`);
  await page.fill('input[name=token]', 'not-the-token-at-all');
  await page.click('button[type=submit]');
  await page.getByText('That is not the admin token.').waitFor();
  await shot('01-login');
  await page.fill('input[name=token]', TEST_TOKEN);
  await page.click('button[type=submit]');
  await page.waitForURL(`${h.url}/deliveries`);
  const cookie = (await context.cookies()).find((c) => c.name === 'herald_token');
  assert.ok(cookie?.httpOnly, 'the session cookie is HttpOnly');
  assert.equal(cookie?.sameSite, 'Strict');
});

test('console: creating an endpoint shows the API problems inline, then the credentials once', { skip }, async () => {
  await page.goto(`${h.url}/endpoints`);
  await page.fill('input[name=name]', 'Acme labs backend');
  await page.fill('input[name=url]', 'ftp://backend.invalid/hook');
  await page.click('form[hx-post="/endpoints"] button[type=submit]');
  // The problem is said in words beside the URL field, not as a JSON path in a list below the form.
  const urlProblem = page.locator('label:has(input[name=url]) .field-problem');
  await urlProblem.waitFor();
  assert.doesNotMatch(await urlProblem.innerText(), /\/url/);
  assert.equal(await page.locator('#create-result li').count(), 0, 'nothing repeated below the form');
  await shot('02-endpoint-problems');

  await page.fill('input[name=url]', backend.url);
  await page.fill('textarea[name=headers]', '{"X-Team": "labs <b>"}');
  await page.click('form[hx-post="/endpoints"] button[type=submit]');
  const created = page.locator('#create-result [data-created]');
  await created.waitFor();
  endpointId = (await created.getAttribute('data-created'))!;
  callback = (await created.locator('.secret').first().innerText()).trim();
  assert.match(endpointId, /^ep_/);
  assert.match(callback, /^cb_[^:]+:.+/);
  await shot('03-endpoint-created');
});

test('console: subscribing an endpoint from its page', { skip }, async () => {
  await page.click(`#create-result a[href="/endpoints/${endpointId}"]`);
  await page.waitForURL(`${h.url}/endpoints/${endpointId}`);
  await page.fill('form[hx-post="/subscriptions"] textarea[name=events]', 'ONDEMAND_ENROLLMENT/*');
  await page.click('form[hx-post="/subscriptions"] button[type=submit]');
  await page.locator('#subscribe-result [data-subscription]').waitFor();
  await page.reload();
  await page.getByRole('cell', { name: 'ONDEMAND_ENROLLMENT/*' }).waitFor();
  // Extra header values are shown as text, never as markup.
  assert.match(await page.locator('textarea[name=headers]').inputValue(), /labs <b>/);
  await shot('04-endpoint-detail');
});

test('console: a published event shows in the delivery log; a failed delivery is retried by hand', { skip }, async () => {
  const pub = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_browser'], data: { student: 'ada' } });
  assert.equal(pub.status, 202);
  messageId = pub.json.id;
  await backend.waitFor(2);
  await until(async () => {
    await page.goto(`${h.url}/deliveries?status=failed`);
    return (await page.locator('tr[data-status=failed]').count()) > 0;
  }, 10_000, 'the delivery to fail');
  await shot('05-deliveries-failed');

  await page.locator('tr[data-status=failed] button', { hasText: 'Retry' }).first().click();
  await page.getByText('Queued for another attempt now.').waitFor();
  await until(async () => {
    await page.reload();
    return (await page.locator('#delivery-status').innerText()).includes('succeeded');
  }, 10_000, 'the retried delivery to succeed');
  assert.equal(backend.received.length, 3);
  // Each attempt shows its request and the receiver's answer.
  await page.getByText('warming up').first().waitFor();
  await page.getByText('{\n  "ok": true\n}').first().waitFor();
  await shot('06-delivery-detail');

  await page.goto(`${h.url}/deliveries`);
  await page.locator('tr[data-status=succeeded]').first().waitFor();
  await shot('07-deliveries');
});

async function incoming(body: unknown) {
  const res = await fetch(`${h.url}/v1/incoming`, {
    method: 'POST',
    headers: { authorization: `Bearer ${callback}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `incoming answered ${res.status}: ${await res.text()}`);
}

test('console: the entity page turns READY live as the backend reports its lab', { skip }, async () => {
  assert.ok(h.herald.app!.hasRoute({ method: 'POST', url: '/v1/incoming' }), 'POST /v1/incoming is served');
  await page.goto(`${h.url}/entities/enr_browser`);
  await page.locator('[data-live].on').waitFor();
  await incoming({
    source_message_id: messageId,
    type: 'RESOURCE',
    action: 'CREATED',
    data: {
      resources: [
        { id: 'vm-1', type: 'VM', name: 'workstation', status: 'STARTING' },
        { id: 'vm-2', type: 'VM', name: 'server', status: 'STARTING' },
      ],
      interfaces: [],
    },
  });
  await page.locator('tr[data-resource=vm-1][data-status=STARTING]').waitFor();
  await shot('08-entity-starting');
  await incoming({
    source_message_id: messageId,
    type: 'RESOURCE',
    action: 'UPDATED',
    data: {
      resources: [
        { id: 'vm-1', type: 'VM', name: 'workstation', status: 'READY', config: { ip: '10.0.0.11' } },
        { id: 'vm-2', type: 'VM', name: 'server', status: 'READY' },
      ],
      interfaces: [
        { type: 'TERMINAL', resource_id: 'vm-1', config: { url: 'https://labs.example.com/term/vm-1' } },
        { type: 'WEB_INTERFACE', resource_id: 'vm-2', config: { url: 'https://labs.example.com/web/vm-2' } },
      ],
    },
  });
  // No reload: the panel is replaced by the stream.
  await until(async () => (await page.locator('tr[data-status=READY]').count()) === 2, 10_000, 'both VMs READY');
  assert.equal(await page.getByRole('link', { name: 'Open Terminal' }).getAttribute('href'), 'https://labs.example.com/term/vm-1');
  assert.equal(await page.getByRole('link', { name: 'Open Web interface' }).getAttribute('href'), 'https://labs.example.com/web/vm-2');
  await shot('09-entity-ready');

  await page.goto(`${h.url}/incoming`);
  await page.getByText('CREATED').first().waitFor();
  await shot('10-incoming');
});

test('console: overview, subscriptions, topics and entities pages render', { skip }, async () => {
  await page.goto(`${h.url}/`);
  await page.locator('svg.chart').waitFor();
  assert.match(await page.locator('#overview').innerText(), /attempts in the last hour/);
  await shot('11-overview');
  await page.goto(`${h.url}/subscriptions`);
  await page.getByRole('cell', { name: 'ONDEMAND_ENROLLMENT/*' }).waitFor();
  await shot('12-subscriptions');
  await page.goto(`${h.url}/topics`);
  const first = page.locator('table a[href^="/topics/"]').first();
  await first.waitFor();
  await shot('13-topics');
  await first.click();
  await page.locator('#template-form').waitFor();
  await page.locator('textarea[name=title_en]').fill('{{.resource_type_display}} {{.action_display}}');
  await page.waitForTimeout(600);
  await shot('14-topic-editor');
  await page.goto(`${h.url}/entities`);
  await shot('15-entities');
});

test('console: logging out drops the cookie', { skip }, async () => {
  await page.goto(`${h.url}/`);
  await page.click('form.logout button');
  await page.waitForURL(/\/login$/);
  assert.equal((await context.cookies()).find((c) => c.name === 'herald_token'), undefined);
  await page.goto(`${h.url}/endpoints`);
  assert.equal(new URL(page.url()).pathname, '/login');
});
