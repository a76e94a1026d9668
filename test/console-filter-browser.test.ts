import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestHerald, TEST_TOKEN, type TestHerald } from './helpers/herald.js';

/** The subscription form's filter in a real browser (Debian's Chromium): Test on a sample event, then save. */
const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const skip = !haveChromium && process.env.CI !== 'true' ? `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (CI installs it and then requires it)` : false;

let h: TestHerald;
let context: BrowserContext;
let page: Page;
let profile: string;
let endpointId: string;

before(async () => {
  if (skip) return;
  assert.ok(haveChromium, `CI=true but Chromium is missing at ${CHROMIUM}`);
  h = await startTestHerald('sqlite');
  const ep = await h.api('POST', '/v1/endpoints', { name: 'filtered backend', url: 'http://127.0.0.1:9/hook', format: 'standard' });
  endpointId = ep.json.id;
  profile = mkdtempSync(join(tmpdir(), 'herald-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

after(async () => {
  if (skip) return;
  await context?.close();
  await h?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('console: a filter is tested on a sample event before saving, then saved with the subscription', { skip }, async () => {
  await page.goto(`${h.url}/subscriptions`);
  await page.fill('input[name=token]', TEST_TOKEN);
  await page.click('button[type=submit]');
  await page.waitForURL(`${h.url}/subscriptions`);

  const form = page.locator('form[hx-post="/subscriptions"]');
  await form.locator('textarea[name=events]').fill('ONDEMAND_ENROLLMENT/*');
  await form.locator('textarea[name=filter]').fill('{"data.seats": {"$gte": 10}, "data.id": {"$gt": 9007199254740992}}');
  await form.locator('details.filter-test summary').click();
  await form.locator('textarea[name=sample_event]').fill('{"type": "ONDEMAND_ENROLLMENT", "action": "STARTED", "data": {"seats": 12, "id": 9007199254740993}}');
  const result = form.locator('.filter-result');
  await form.getByRole('button', { name: 'Test' }).click();
  await result.locator('[data-filter-result="match"]').waitFor();

  await form.locator('textarea[name=sample_event]').fill('{"type": "ONDEMAND_ENROLLMENT", "action": "STARTED", "data": {"seats": 12, "id": 9007199254740992}}');
  await form.getByRole('button', { name: 'Test' }).click();
  await result.locator('[data-filter-result="no-match"]').waitFor();

  await form.locator('textarea[name=filter]').fill('{"data.seats": {"$atLeast": 10}}');
  await form.getByRole('button', { name: 'Test' }).click();
  await page.getByText('$atLeast is not an operator').first().waitFor();
  assert.equal(await result.locator('[data-filter-result]').count(), 0, 'no verdict for a filter with problems');

  await form.locator('textarea[name=filter]').fill('{"data.seats": {"$gte": 10}}');
  await form.locator('button[type=submit]').click();
  await page.locator('#subscribe-result [data-subscription]').waitFor();
  const subs = await h.api('GET', `/v1/subscriptions?endpoint_id=${endpointId}`);
  assert.equal(subs.json.data.length, 1);
  assert.deepEqual(subs.json.data[0].filter, { 'data.seats': { $gte: 10 } });

  // Edited later from its row: the form starts with the stored filter, tests it, saves the change.
  await page.goto(`${h.url}/subscriptions`);
  const row = page.locator('tr', { has: page.locator(`form[hx-post="/subscriptions/${subs.json.data[0].id}/filter"]`) });
  await row.locator('details.filter-edit > summary').click();
  const edit = row.locator(`form[hx-post="/subscriptions/${subs.json.data[0].id}/filter"]`);
  assert.equal(await edit.locator('textarea[name=filter]').inputValue(), '{"data.seats":{"$gte":10}}');
  await edit.locator('textarea[name=filter]').fill('{"data.seats": {"$gte": 20}}');
  await edit.locator('details.filter-test summary').click();
  await edit.getByRole('button', { name: 'Test' }).click();
  await edit.locator('.filter-result [data-filter-result="no-match"]').waitFor();
  await edit.getByRole('button', { name: 'Save filter' }).click();
  await edit.locator('.filter-saved [data-filter-saved]').waitFor();
  assert.deepEqual((await h.api('GET', `/v1/subscriptions/${subs.json.data[0].id}`)).json.filter, { 'data.seats': { $gte: 20 } });
});
