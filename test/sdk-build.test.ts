import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generatedSchemaText, heraldOpenApi, REGENERATE_COMMAND, SCHEMA_FILE, schemaTextFor } from '../sdk/scripts/openapi-schema.js';
import { startTestHerald, TEST_TOKEN } from './helpers/herald.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}:\n  committed: ${al[i] ?? '(end of file)'}\n  server:    ${bl[i] ?? '(end of file)'}`;
  }
  return 'none';
}

test("the committed SDK types match the server's OpenAPI document", async () => {
  const committed = readFileSync(join(root, SCHEMA_FILE), 'utf8');
  const current = await generatedSchemaText();
  assert.ok(
    committed === current,
    `${SCHEMA_FILE} no longer matches Herald's OpenAPI document: run \`${REGENERATE_COMMAND}\` and commit the result.\nFirst difference at ${firstDifference(committed, current)}`,
  );
});

test('a change to a route schema shows in the generated types, so the drift test catches it', async () => {
  const doc = (await heraldOpenApi()) as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
  const before = await schemaTextFor(doc);
  doc.paths['/v1/deliveries']!.get!.parameters!.push({ in: 'query', name: 'colour', required: false, schema: { type: 'string' } });
  const after = await schemaTextFor(doc);
  assert.notEqual(after, before);
  assert.match(firstDifference(before, after), /colour\?: string/);
});

/** A consumer project with the built package installed under node_modules, as npm would lay it out. */
function consumerProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-sdk-consumer-'));
  const pkg = join(dir, 'node_modules/@herald/sdk');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, 'sdk/package.json'), join(pkg, 'package.json'));
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'sdk/tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { encoding: 'utf8' });
  assert.equal(build.status, 0, `tsc build of the SDK failed:\n${build.stdout}${build.stderr}`);
  for (const dep of ['openapi-fetch', 'openapi-typescript-helpers', '@types/node']) {
    mkdirSync(dirname(join(dir, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: true }, include: ['*.ts'] }),
  );
  return dir;
}

function typecheck(dir: string) {
  return spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', cwd: dir });
}

test('the built package ships .d.ts files a consumer type-checks against, and its JavaScript runs', async () => {
  const dir = consumerProject();
  const h = await startTestHerald('sqlite');
  try {
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { Herald, HeraldError, type DeliveryStatus, type EventInput } from '@herald/sdk';
import { callbackFrom, verifyStandard, WebhookVerificationError, type StrigoMessage } from '@herald/sdk/receiver';

const herald = new Herald({ url: process.env.HERALD_URL!, token: process.env.HERALD_TOKEN! });
const status: DeliveryStatus = 'failed';
const event: EventInput = { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_1'], data: { seats: 3 } };
const endpoint = await herald.endpoints.create({ name: 'consumer', url: 'http://127.0.0.1:9/hook', format: 'standard' });
await herald.subscriptions.create({ endpoint_id: String(endpoint.id), events: ['CLASS/*'] });
const published = await herald.events.publish(event);
let failed = 0;
for await (const d of herald.deliveries.list({ status })) failed += d ? 1 : 0;
try {
  await herald.endpoints.get('ep_missing');
} catch (e) {
  if (!(e instanceof HeraldError)) throw e;
  console.log(JSON.stringify({ published: published.id, failed, code: e.code, status: e.status }));
}
export function receive(headers: Record<string, string>, body: string, message: StrigoMessage) {
  try {
    return verifyStandard(['whsec_a', 'whsec_b'], headers, body).data.entity_ids;
  } catch (e) {
    if (e instanceof WebhookVerificationError) return e.reason;
    throw e;
  }
  finally {
    void callbackFrom(message, { user: 'u', key: 'k' }).created({ resources: [{ id: 'vm', type: 'VM', status: 'READY' }] });
  }
}
`,
    );
    // Type-checked against the emitted .d.ts and compiled to JavaScript in one tsc run (any error fails it).
    const checked = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--noEmit', 'false', '--outDir', join(dir, 'out')], { encoding: 'utf8', cwd: dir });
    assert.equal(checked.status, 0, `the consumer did not type-check against the emitted .d.ts:\n${checked.stdout}${checked.stderr}`);

    // The compiled consumer runs against a live Herald (in this process, so it is run without blocking it).
    const run = await promisify(execFile)(process.execPath, [join(dir, 'out/consumer.js')], { encoding: 'utf8', cwd: dir, env: { ...process.env, HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN } });
    const printed = JSON.parse(run.stdout.trim());
    assert.match(printed.published, /^msg_/);
    assert.deepEqual([printed.failed, printed.code, printed.status], [0, 'not_found', 404]);

    // The types are real: a status Herald does not know and a resource without its status are errors.
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { Herald } from '@herald/sdk';
import { callbackFrom } from '@herald/sdk/receiver';
const herald = new Herald({ url: 'http://x', token: 't' });
herald.deliveries.list({ status: 'lost' });
void callbackFrom({ message_id: 'm', callback: 'http://x' }, { user: 'u', key: 'k' }).created({ resources: [{ id: 'vm', type: 'VM' }] });
`,
    );
    const refused = typecheck(dir);
    assert.notEqual(refused.status, 0, 'a wrong status and an incomplete resource were accepted');
    assert.match(refused.stdout, /consumer\.ts\(4,[0-9]+\): error TS2322: Type '"lost"' is not assignable/);
    assert.match(refused.stdout, /consumer\.ts\(5,[0-9]+\): error TS2322: Type '{ id: string; type: "VM"; }' is not assignable to type 'Resource'/);
  } finally {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
