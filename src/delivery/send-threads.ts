import type { Logger } from 'pino';
import type { AttemptOutcome } from '../store/queries/record-outcomes.js';
import { failedBeforeSend, makeAttemptRunner, type AttemptJob, type RunAttempt } from './attempt.js';
import type { FromSendThread, SendThreadSettings, ToSendThread } from './send-thread.js';
import { settlesBy } from '../util/deadline.js';
import { newThread, siblingEntry } from '../util/threads.js';

const DEFAULT_ENTRY = siblingEntry(import.meta.url, 'send-thread');

/**
 * The send thread's young generation. What it allocates per job (the rendered request, the answer) dies within
 * the attempt, so a small nursery costs more frequent but tiny scavenges; V8's default lets it grow to 48 MB,
 * which the process then keeps resident (measured: peak RSS 222 MB against 202 MB draining 100,000 deliveries).
 */
const SEND_THREAD_YOUNG_MB = 4;

export interface SendThreads {
  runAttempt: RunAttempt;
  /** Waits for the attempts in flight, then stops the threads; at `deadline` they are stopped as they are. */
  close(deadline?: number): Promise<void>;
}

interface Pending {
  job: AttemptJob;
  resolve: (o: AttemptOutcome) => void;
}

/**
 * Message bytes a thread is handed at most at once; more waits here, in the order it came. The thread clones each
 * message and renders its body beside it, a few times its size in all, within the thread's 96 MB heap.
 */
const DEFAULT_MAX_THREAD_BYTES = 8 * 1024 * 1024;

/**
 * Runs attempts on `count` send threads. An endpoint always goes to the same thread, so its keep-alive
 * connections live in one pool. Jobs posted in one turn of the event loop travel in one message.
 * A thread that dies answers its attempts as failed sends (they are retried on schedule: the receiver may or may
 * not have seen them, which at-least-once allows) and is replaced; what was still waiting to be handed to it goes
 * to its replacement.
 */
export async function startSendThreads(
  settings: SendThreadSettings,
  count: number,
  log: Logger,
  /** The thread's module: send-thread by default; tests give one that fails on purpose. */
  entry: URL = DEFAULT_ENTRY,
  maxThreadBytes: number = DEFAULT_MAX_THREAD_BYTES,
): Promise<SendThreads> {
  const lost = makeAttemptRunner({
    send: async () => ({ ok: false, errorClass: 'network', error: 'network: the send thread stopped before answering', durationMs: 0 }),
    callbackUrl: settings.callbackUrl,
    schedule: settings.schedule,
  });
  let seq = 0;
  let closing = false;
  const failureOf = (job: AttemptJob) => ({ deliveryId: job.deliveryId, attemptsMade: job.attemptsMade, endpointId: job.endpoint.id, url: job.endpoint.url });

  function spawn(index: number) {
    const pending = new Map<number, Pending>();
    /** Jobs not handed over yet: the thread holds maxThreadBytes of messages already. */
    const backlog: Pending[] = [];
    let bytesHanded = 0;
    let outbox: ToSendThread & { type: 'jobs' } = { type: 'jobs', jobs: [] };
    let flushQueued = false;
    let exited = false;
    const worker = newThread(entry, { workerData: settings, resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: SEND_THREAD_YOUNG_MB } });
    const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Settles when the thread can send (or has died trying): the first attempts must not wait out its start-up,
    // or a rate-limited endpoint's first burst would arrive late and bunch up with what follows.
    const ready = new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.on('message', (msg: FromSendThread) => msg.type === 'ready' && resolve());
    });
    worker.on('message', (msg: FromSendThread) => {
      if (msg.type !== 'outcomes') return;
      for (const { seq: s, outcome } of msg.outcomes) {
        const p = pending.get(s);
        if (!p) continue;
        pending.delete(s);
        bytesHanded -= p.job.messageBytes;
        p.resolve(outcome);
      }
      pump();
    });
    worker.on('error', (err) => log.error({ err, thread: index }, 'send thread failed'));
    worker.once('exit', (code) => {
      exited = true;
      const orphans = [...pending.values()];
      pending.clear();
      for (const p of orphans) void lost(p.job).then(p.resolve);
      const waited = backlog.splice(0);
      if (!closing) {
        log.error({ code, thread: index, attempts: orphans.length }, 'send thread exited; starting another');
        const next = spawn(index);
        threads[index] = next;
        for (const p of waited) void next.post(p.job).then(p.resolve);
      } else for (const p of waited) void lost(p.job).then(p.resolve);
    });
    function hand(p: Pending): void {
      const s = seq++;
      pending.set(s, p);
      bytesHanded += p.job.messageBytes;
      outbox.jobs.push({ seq: s, job: p.job });
      if (flushQueued) return;
      flushQueued = true;
      queueMicrotask(() => {
        flushQueued = false;
        const msg = outbox;
        outbox = { type: 'jobs', jobs: [] };
        // A thread that exited since these were queued would drop the message; its exit handler has
        // already answered what it knew of, and these are answered here.
        if (exited) {
          answerAll(msg.jobs, (job) => lost(job));
          return;
        }
        try {
          worker.postMessage(msg);
        } catch (e) {
          // Nothing of the batch reached the thread (a job that cannot be copied to it, or a thread
          // closing under it): each is a failed attempt, retried on schedule.
          log.error({ err: e, thread: index, attempts: msg.jobs.length }, 'could not hand attempts to a send thread');
          answerAll(msg.jobs, async (job) => failedBeforeSend(failureOf(job), e, settings.schedule));
          pump();
        }
      });
    }
    /** Hands over waiting jobs while they fit. The oldest goes first even when it is the largest; one job always fits an idle thread. */
    function pump(): void {
      while (backlog.length > 0 && (pending.size === 0 || bytesHanded + backlog[0]!.job.messageBytes <= maxThreadBytes)) hand(backlog.shift()!);
    }
    function answerAll(jobs: { seq: number }[], answer: (job: AttemptJob) => Promise<AttemptOutcome>): void {
      for (const { seq: s } of jobs) {
        const p = pending.get(s);
        if (p) {
          pending.delete(s);
          bytesHanded -= p.job.messageBytes;
          void answer(p.job).then(p.resolve);
        }
      }
    }
    return {
      closed,
      ready,
      get exited() {
        return exited;
      },
      post(job: AttemptJob): Promise<AttemptOutcome> {
        if (exited) return lost(job);
        return new Promise((resolve) => {
          const p = { job, resolve };
          if (backlog.length > 0 || (pending.size > 0 && bytesHanded + job.messageBytes > maxThreadBytes)) backlog.push(p);
          else hand(p);
        });
      },
      async close(deadline: number): Promise<void> {
        if (!exited) worker.postMessage({ type: 'close' } satisfies ToSendThread);
        // A thread still waiting on a receiver at the deadline is stopped as it is: its leases are released.
        if (!(await settlesBy(closed, deadline))) await worker.terminate();
      },
    };
  }

  const threads = Array.from({ length: count }, (_, i) => spawn(i));
  await Promise.all(threads.map((t) => t.ready));

  function threadFor(endpointId: string) {
    let h = 0;
    for (let i = 0; i < endpointId.length; i++) h = (h * 31 + endpointId.charCodeAt(i)) | 0;
    return threads[Math.abs(h) % threads.length]!;
  }

  return {
    runAttempt: (job) => threadFor(job.endpoint.id).post(job),
    async close(deadline = Infinity) {
      closing = true;
      await Promise.all(threads.map((t) => t.close(deadline)));
    },
  };
}
