// Seeds a Herald with a healthy, a flaky and a failing endpoint and saves the overview, deliveries, endpoints,
// topics and failing-endpoint pages at 1,400 px as test-output/screenshots/<page>-<suffix>.png.
// Usage: node --import tsx scripts/console-screenshots.ts <suffix>
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startTestHerald, TEST_TOKEN, until } from '../test/helpers/herald.js';
import { startReceiver } from '../test/helpers/receiver.js';
const suffix = process.argv[2] ?? 'now';
const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const h = await startTestHerald('sqlite', { HERALD_RETRY_SCHEDULE: '100ms,100ms' });
const ok = await startReceiver(() => ({ status: 200, body: '{"ok":true}' }));
const flaky = await startReceiver((_r: unknown, i: number) => (i % 3 === 0 ? { status: 503, body: 'warming up' } : { status: 200, body: '{"ok":true}' }));
const bad = await startReceiver(() => ({ status: 500, body: '{"error":"database is locked"}', headers: { 'retry-after': '30', 'x-request-id': 'req-7f3a' } }));
const mk = async (name: string, url: string, format = 'strigo') => (await h.api('POST', '/v1/endpoints', { name, url, format, validate: false })).json;
const e1 = await mk('Acme labs production backend (eu-west-1)', ok.url);
const e2 = await mk('Training platform staging', flaky.url);
const e3 = await mk('Legacy billing bridge', bad.url);
for (const e of [e1, e2, e3]) await h.api('POST', '/v1/subscriptions', { endpoint_id: e.id, events: ['ONDEMAND_ENROLLMENT/*', 'CLASS/*'] });
const evs = [['ONDEMAND_ENROLLMENT', 'STARTED'], ['ONDEMAND_ENROLLMENT', 'FINISHED'], ['CLASS', 'CREATED'], ['ONDEMAND_ENROLLMENT', 'STATUS_CHANGE'], ['CLASS', 'UPDATED']];
for (let i = 0; i < 12; i++) {
  const [type, action] = evs[i % evs.length]!;
  const r = await h.api('POST', '/v1/events', { type, action: action === 'STATUS_CHANGE' ? 'EXPIRED' : action, entity_ids: [`enr_${1000 + i}`], data: { student: 'ada' } });
  if (r.status !== 202) console.error(r.text);
}
await until(async () => (await h.api('GET', '/v1/deliveries?status=failed')).json.data.length >= 12, 20_000, 'failures');
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({ executablePath: process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Europe/Paris' });
await context.addCookies([{ name: 'herald_token', value: TEST_TOKEN, url: h.url }]);
const page = await context.newPage();
const shot = async (path: string, name: string) => {
  await page.goto(h.url + path);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, `${name}-${suffix}.png`), fullPage: true });
};
await shot('/', 'overview');
await shot('/deliveries', 'deliveries');
await shot(`/endpoints/${e3.id}`, 'failing-endpoint');
await shot('/topics', 'topics');
await shot('/endpoints', 'endpoints');
await browser.close();
await h.stop(); await ok.close(); await flaky.close(); await bad.close();
console.log('done');
process.exit(0);
