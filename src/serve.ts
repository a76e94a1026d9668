import { startHerald } from './app.js';
import { exitOnConfigError, loadConfig } from './config.js';

/**
 * Herald from the environment until SIGTERM or SIGINT, then a clean stop: no new claims, in-flight deliveries
 * finished and recorded, the store closed, exit 0. `npm start` and `herald serve` both run this.
 */
export async function serveFromEnv(): Promise<void> {
  let herald;
  try {
    herald = await startHerald(loadConfig());
  } catch (e) {
    exitOnConfigError(e);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    herald.ctx.log.info({ signal }, 'stopping: no new work; finishing in-flight deliveries');
    herald.close().then(
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
