import { constants } from 'node:os';
import { startHerald } from './app.js';
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
  let herald;
  try {
    herald = await startHerald(loadConfig());
  } catch (e) {
    exitOnConfigError(e);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
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
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
