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
  const env = { ...process.env, GOCACHE: process.env.GOCACHE ?? join(dir, 'cache'), GOFLAGS: '-mod=mod', GO111MODULE: 'off' };
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

/**
 * JSON text to JS values with every number kept as its text, in the shape lossless JSON readers give
 * (`{ isLosslessNumber: true, value }`), which is how the engine receives event data.
 */
export function parseJsonExact(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        const key = value() as string;
        ws();
        i++; // :
        Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i++] === '}') return out;
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1)) as string;
      i = j + 1;
      return s;
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i));
    if (!m) throw new Error(`bad JSON at ${i}`);
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    return { isLosslessNumber: true, value: m[0] };
  };
  const out = value();
  ws();
  if (i !== text.length) throw new Error(`trailing JSON at ${i}`);
  return out;
}
