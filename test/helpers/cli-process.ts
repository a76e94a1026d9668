import { spawn } from 'node:child_process';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const SOURCE = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const BIN = new URL('../../bin/herald.js', import.meta.url).pathname;

/**
 * `herald ARGS...` as its own process, exactly as an operator starts it, with only PATH and `env` in its
 * environment. Asynchronous on purpose: a Herald in the test's process must keep serving while the child talks to
 * it. `bin` runs the installed entry point (bin/herald.js) instead of the TypeScript source.
 */
export function runCli(env: Record<string, string>, args: string[], { bin = false }: { bin?: boolean } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, bin ? [BIN, ...args] : ['--import', 'tsx', SOURCE, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
