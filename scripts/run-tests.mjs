#!/usr/bin/env node
// Runs every test file under test/ with node's test runner through tsx. The file list is expanded here, not by a
// quoted glob (Node 20 does not expand those), so `npm test` works the same in every shell.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// Each run also writes TAP to a file, so the totals of both runs can be added up in one closing line.
const tapDir = mkdtempSync(join(tmpdir(), 'herald-tests-'));
const totals = { pass: 0, fail: 0, skipped: 0 };

function run(list, jobs, name) {
  if (list.length === 0) return 0;
  const tap = join(tapDir, `${name}.tap`);
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${jobs}`, '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...list],
    { stdio: 'inherit', env: process.env },
  );
  const text = readFileSync(tap, 'utf8');
  for (const key of Object.keys(totals)) {
    const m = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text);
    if (m) totals[key] += Number(m[1]);
  }
  return res.status ?? 1;
}

const first = run(parallel, concurrency, 'parallel');
const second = run(serial, '1', 'serial');
console.log(`\ntests: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(first || second);
