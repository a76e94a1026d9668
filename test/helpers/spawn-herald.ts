import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { TEST_TOKEN } from './herald.js';

/** A free loopback port, so a child Herald can be restarted on the same address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface HeraldProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

// Every child is killed when the test process exits, whatever happened: a stray Herald would keep working on
// a deleted database and load the machine for the tests after it.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Herald as its own OS process (`npm start`'s entry point), for crash and multi-process tests. */
/** `entry` is the program to run: the TypeScript sources through tsx (tests), or the built `dist/main.js` (benchmarks). */
export async function spawnHerald(env: Record<string, string>, port?: number, entry: string[] = ['--import', 'tsx', 'src/main.ts']): Promise<HeraldProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, entry, {
    env: {
      ...process.env,
      HERALD_PORT: String(p),
      HERALD_HOST: '127.0.0.1',
      HERALD_ADMIN_TOKEN: TEST_TOKEN,
      HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
      HERALD_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${p}`;
  // Every role answers /healthz on its port once it is up (a worker serves its health and metrics there).
  {
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok) break;
      } catch {
        /* not up yet */
      }
      if (child.exitCode !== null) throw new Error(`herald exited early:\n${out}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`herald did not start:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { child, url, output: () => out, exited };
}

export async function api(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

/** A Herald process run to its end (a start that is refused, or a one-shot command): its exit code and output. */
export async function runHerald(env: Record<string, string>, args: string[] = ['--import', 'tsx', 'src/main.ts'], timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, HERALD_PORT: '0', HERALD_HOST: '127.0.0.1', HERALD_ADMIN_TOKEN: TEST_TOKEN, HERALD_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  children.delete(child);
  return { code, output: out };
}
