#!/usr/bin/env node
// Runs every test file under test/ with node's test runner through tsx. The file list is expanded here, not by a
// quoted glob (Node 20 does not expand those), so `npm test` works the same in every shell.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : collect('test');
if (files.length === 0) {
  console.error('no test files found under test/');
  process.exit(1);
}
// These stop or restart the shared PostgreSQL server, so they run alone, after the rest.
const SERIAL = ['test/fault-tolerance.test.ts'];
const serial = files.filter((f) => SERIAL.includes(f.replaceAll('\\', '/')));
const parallel = files.filter((f) => !serial.includes(f));
const concurrency = process.env.HERALD_TEST_CONCURRENCY ?? '2';

function run(list, jobs) {
  if (list.length === 0) return 0;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${jobs}`, '--test-reporter=spec', ...list], {
    stdio: 'inherit',
    env: process.env,
  });
  return res.status ?? 1;
}

const first = run(parallel, concurrency);
const second = run(serial, '1');
process.exit(first || second);
