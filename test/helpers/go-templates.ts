import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Go's own text/template and html/template, through test/fixtures/go-template/render.go, for tests that
 * hold Herald's engine against them. Without a Go toolchain the tests skip with the reason; under CI=true
 * that is a failure, because CI installs Go.
 */

export type Mode = 'go' | 'cloudpods';

export interface GoInput {
  template: string;
  /** JSON text, so that numbers reach Go exactly as written. */
  dataText: string;
  mode: Mode;
}

export interface GoOutput {
  expected?: string;
  error?: string;
  error_kind?: 'parse' | 'exec' | 'escape' | 'data' | 'panic';
}

export const GO_SKIP_REASON = 'no Go toolchain (`go`): the Go template differential test is skipped (apt-get install golang-go)';

function goAvailable(): boolean {
  return spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
}

export const HAVE_GO = goAvailable();
if (!HAVE_GO && process.env.CI === 'true') {
  throw new Error('CI=true but Go is not installed: the Go template differential test cannot run');
}

let binary: string | null = null;

function build(): string {
  if (binary) return binary;
  const dir = mkdtempSync(join(tmpdir(), 'herald-go-template-'));
  const out = join(dir, 'render');
  const source = fileURLToPath(new URL('../fixtures/go-template/render.go', import.meta.url));
  // Without a module and without a home directory Go still needs a cache and a GOPATH of its own.
  const env = { ...process.env, GOCACHE: process.env.GOCACHE || join(dir, 'cache'), GOPATH: process.env.GOPATH || join(dir, 'gopath'), GO111MODULE: 'off' };
  const result = spawnSync('go', ['build', '-o', out, source], { encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`go build failed: ${result.stderr}`);
  binary = out;
  return out;
}

export function renderWithGo(cases: GoInput[]): GoOutput[] {
  const input = '[' + cases.map((c) => `{"template":${JSON.stringify(c.template)},"mode":"${c.mode}","data":${c.dataText}}`).join(',') + ']';
  const result = spawnSync(build(), [], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`Go renderer failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as GoOutput[];
}
