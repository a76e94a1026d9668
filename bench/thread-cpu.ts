/**
 * CPU time of each thread of a process, from /proc/<pid>/task/<tid>/stat (utime + stime, in clock ticks), grouped
 * by what the thread does. Node 20 names every thread "node", so where /proc's name says nothing the role comes from
 * Node's start-up order and from what an idle thread waits in: after the main thread (tid = pid) Node starts its
 * delayed-task scheduler, `--v8-pool-size` (4) V8 platform workers (GC, compilation) and the SIGUSR1 watchdog; later
 * threads idle in epoll_pwait are worker_threads (each runs its own event loop), the ones idle in a futex are the
 * libuv pool. A named thread (newer Node versions, or a native library) is grouped by its name.
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const V8_POOL_SIZE = 4;
const EPOLL_WAITS = new Set(['232', '281', '441']); // epoll_wait, epoll_pwait, epoll_pwait2 (x86-64)

let clockTicks = 0;
function ticksPerSecond(): number {
  if (clockTicks === 0) {
    try {
      clockTicks = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

interface ThreadSample {
  tid: number;
  name: string;
  startTime: number;
  ticks: number;
}

/** utime + stime and start time: the fields after the parenthesised name (which may itself contain spaces). */
function parseStat(stat: string): { ticks: number; startTime: number } {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
  return { ticks: Number(f[11]) + Number(f[12]), startTime: Number(f[19]) };
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export interface CpuSample {
  pid: number;
  /** The whole process, threads that have exited included. */
  processTicks: number;
  threads: Map<number, ThreadSample>;
}

export function sampleCpu(pid: number): CpuSample {
  const threads = new Map<number, ThreadSample>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    const stat = read(`/proc/${pid}/task/${t}/stat`);
    if (!stat) continue; // exited between the listing and the read
    threads.set(Number(t), {
      tid: Number(t),
      name: read(`/proc/${pid}/task/${t}/comm`).trim(),
      ...parseStat(stat),
    });
  }
  return { pid, processTicks: parseStat(read(`/proc/${pid}/stat`)).ticks, threads };
}

/** Syscalls each thread was seen waiting in. */
export type Waits = Map<number, Set<string>>;

/**
 * The syscall each of `pid`'s threads waits in, `times` times over, added to `seen`: a busy (or still starting)
 * thread shows no telling wait in one look, so looks before and after a phase are pooled.
 */
export async function lookAtWaits(pid: number, seen: Waits = new Map(), times = 20, everyMs = 25): Promise<Waits> {
  for (let k = 0; k < times; k++) {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const nr = read(`/proc/${pid}/task/${t}/syscall`).split(' ')[0]!.trim();
      const set = seen.get(Number(t)) ?? new Set<string>();
      if (nr !== '' && nr !== 'running') set.add(nr);
      seen.set(Number(t), set);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return seen;
}

/**
 * Each thread's role, from the threads of `sample` (taken before the measured phase) and looks at what they
 * wait in. `firstWorkers` names the first worker_threads in the order they start, `laterWorkers` the rest
 * (Herald's: the SQLite checkpoint thread, opened with the database, then its send threads).
 */
export function threadRoles(sample: CpuSample, seen: Waits, firstWorkers: string[], laterWorkers = 'worker thread'): Map<number, string> {
  const roles = new Map<number, string>();
  const others = [...sample.threads.values()].filter((t) => t.tid !== sample.pid).sort((a, b) => a.startTime - b.startTime || a.tid - b.tid);
  roles.set(sample.pid, 'main');
  let workers = 0;
  others.forEach((t, i) => {
    const waited = [...(seen.get(t.tid) ?? [])];
    if (t.name !== 'node' && t.name !== '') roles.set(t.tid, t.name);
    else if (i === 0) roles.set(t.tid, 'V8 platform (delayed tasks)');
    else if (i <= V8_POOL_SIZE) roles.set(t.tid, 'V8 platform workers (GC, compile)');
    else if (i === V8_POOL_SIZE + 1) roles.set(t.tid, 'signal watchdog');
    else if (waited.some((nr) => EPOLL_WAITS.has(nr))) roles.set(t.tid, firstWorkers[workers++] ?? laterWorkers);
    else if (waited.length === 0) roles.set(t.tid, 'unclassified (never seen waiting)');
    else roles.set(t.tid, 'libuv pool');
  });
  return roles;
}

export interface CpuRow {
  role: string;
  threads: number;
  usPerDelivery: number;
}

/** µs of CPU per delivery by role between two samples; `deliveries` is what the phase delivered. */
export function cpuPerDelivery(before: CpuSample, after: CpuSample, roles: Map<number, string>, deliveries: number): { rows: CpuRow[]; totalUs: number; exitedUs: number } {
  const usPerTick = 1e6 / ticksPerSecond();
  const byRole = new Map<string, { threads: number; ticks: number }>();
  let threadTicks = 0;
  for (const t of after.threads.values()) {
    const ticks = t.ticks - (before.threads.get(t.tid)?.ticks ?? 0);
    threadTicks += ticks;
    const role = roles.get(t.tid) ?? 'started during the phase';
    const r = byRole.get(role) ?? { threads: 0, ticks: 0 };
    r.threads++;
    r.ticks += ticks;
    byRole.set(role, r);
  }
  const totalTicks = after.processTicks - before.processTicks;
  const perDelivery = (ticks: number) => (ticks * usPerTick) / deliveries;
  const rows = [...byRole].map(([role, r]) => ({ role, threads: r.threads, usPerDelivery: perDelivery(r.ticks) })).sort((a, b) => b.usPerDelivery - a.usPerDelivery);
  return { rows, totalUs: perDelivery(totalTicks), exitedUs: perDelivery(Math.max(0, totalTicks - threadTicks)) };
}
