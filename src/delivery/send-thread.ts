/**
 * A send thread: renders, signs and sends the attempts the dispatcher hands it, and hands back their outcomes.
 * Sending (undici, TLS, HMAC) is most of a delivery's CPU; here it runs beside the dispatcher's store work
 * instead of taking turns with it on one event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { failedBeforeSend, makeAttemptRunner, type AttemptJob } from './attempt.js';
import { makeSender } from './sender.js';
import { createGuardedAgent, parseAllowPrivate } from './ssrf.js';
import type { AttemptOutcome } from '../store/queries/record-outcomes.js';

export interface SendThreadSettings {
  allowPrivateNetworks: string | undefined;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  callbackUrl: string;
  schedule: number[];
}

export type ToSendThread = { type: 'jobs'; jobs: { seq: number; job: AttemptJob }[] } | { type: 'close' };
export type FromSendThread = { type: 'ready' } | { type: 'outcomes'; outcomes: { seq: number; outcome: AttemptOutcome }[] } | { type: 'closed' };

const port = parentPort!;
const settings = workerData as SendThreadSettings;
const allow = parseAllowPrivate(settings.allowPrivateNetworks);
const agent = createGuardedAgent({ allow, connectTimeoutMs: settings.connectTimeoutMs, keepAliveTimeoutMs: 30_000 });
const runAttempt = makeAttemptRunner({
  send: makeSender({ agent, allow, requestTimeoutMs: settings.requestTimeoutMs }),
  callbackUrl: settings.callbackUrl,
  schedule: settings.schedule,
});

// Outcomes finished in one turn of the event loop go back in one message.
let done: { seq: number; outcome: AttemptOutcome }[] = [];
let scheduled = false;
function flush(): void {
  scheduled = false;
  const outcomes = done;
  done = [];
  port.postMessage({ type: 'outcomes', outcomes } satisfies FromSendThread);
}

let running = 0;
let closing = false;
async function closeWhenIdle(): Promise<void> {
  if (!closing || running > 0) return;
  if (scheduled) flush();
  await agent.close();
  port.postMessage({ type: 'closed' } satisfies FromSendThread);
  port.close();
}

port.on('message', (msg: ToSendThread) => {
  if (msg.type === 'close') {
    closing = true;
    void closeWhenIdle();
    return;
  }
  for (const { seq, job } of msg.jobs) {
    running++;
    // The runner answers every failure it knows of; a bug that escapes it is still a recorded attempt.
    const attempt = runAttempt(job).catch((e: unknown) =>
      failedBeforeSend({ deliveryId: job.deliveryId, attemptsMade: job.attemptsMade, endpointId: job.endpoint.id, url: job.endpoint.url }, e, settings.schedule),
    );
    void attempt.then((outcome) => {
      running--;
      done.push({ seq, outcome });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      void closeWhenIdle();
    });
  }
});

port.postMessage({ type: 'ready' } satisfies FromSendThread);
