import { constants } from 'node:os';
import { startHerald, type Herald } from './app.js';
import { exitOnConfigError, loadConfig } from './config.js';

/** What a stop may still take after its deadline to release leases and close the store before it is cut short. */
const RELEASE_GRACE_MS = 5000;

/**
 * Herald from the environment until SIGTERM or SIGINT, then a stop: no new claims, in-flight deliveries
 * finished and recorded until HERALD_SHUTDOWN_TIMEOUT, what is left released, the store closed, exit 0. A second
 * signal exits at once (128 + the signal's number), leaving leases to expire. `npm start` and `herald serve`
 * both run this.
 */
export async function serveFromEnv(): Promise<void> {
  // Handlers go in before start-up, so a signal that arrives while Herald starts (a supervisor's quick restart)
  // stops it cleanly once it is up instead of killing it mid-migration; a second one still exits at once.
  let herald: Herald | null = null;
  let early: NodeJS.Signals | null = null;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (herald) return stop(herald, signal);
    if (early) process.exit(128 + constants.signals[signal]);
    early = signal;
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  try {
    herald = await startHerald(loadConfig());
  } catch (e) {
    exitOnConfigError(e);
  }
  if (early) stop(herald, early);

  function stop(herald: Herald, signal: NodeJS.Signals): void {
    const code = 128 + constants.signals[signal];
    if (stopping) {
      herald.ctx.log.warn({ signal }, 'second signal: exiting now; leases still held will expire');
      process.exit(code);
    }
    stopping = true;
    const timeoutMs = herald.config.shutdownTimeoutMs;
    herald.ctx.log.info({ signal, timeout_ms: timeoutMs }, 'stopping: no new work; finishing in-flight deliveries');
    // The store itself may hang (unreachable); a stop never outlives its deadline by more than the grace.
    setTimeout(() => {
      herald.ctx.log.error('shutdown did not complete after its deadline; exiting');
      process.exit(1);
    }, timeoutMs + RELEASE_GRACE_MS).unref();
    herald.close(Date.now() + timeoutMs).then(
      () => process.exit(0),
      (e: unknown) => {
        herald.ctx.log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  }
}
