import { startHerald } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/** `npm start`: Herald from the environment, until SIGTERM or SIGINT. */
async function main(): Promise<void> {
  let herald;
  try {
    herald = await startHerald(loadConfig());
  } catch (e) {
    if (e instanceof ConfigError || (e instanceof Error && /^HERALD_[A-Z_]+/.test(e.message))) {
      process.stderr.write(`herald: configuration error: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    herald.ctx.log.info({ signal }, 'stopping: no new work; finishing in-flight deliveries');
    herald.close().then(
      () => process.exit(0),
      (e) => {
        herald.ctx.log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
