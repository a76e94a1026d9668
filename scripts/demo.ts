/**
 * `npm run demo`: Herald on SQLite in ./data/demo, a simulated lab platform publishing enrollments and a
 * simulated customer backend building labs and reporting back, so the whole round trip shows in the console.
 * Ctrl-C stops everything; the data stays in ./data/demo for the next run.
 */
import pino from 'pino';
import { startHerald } from '../src/app.js';
import { exitOnConfigError, loadConfig } from '../src/config.js';
import { startCustomerBackend } from './demo/customer-backend.js';
import { startLabPlatform } from './demo/lab-platform.js';
import { wireUp } from './demo/wire-up.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const port = process.env.HERALD_PORT ?? '8080';
  const config = loadConfig({
    HERALD_PORT: port,
    HERALD_HOST: '127.0.0.1',
    HERALD_DATA_DIR: process.env.HERALD_DATA_DIR ?? './data/demo',
    HERALD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    // Short waits so a refused delivery is retried while you watch.
    HERALD_RETRY_SCHEDULE: '3s,10s,30s',
    HERALD_LOG_LEVEL: 'warn',
    ...(process.env.HERALD_ADMIN_TOKEN ? { HERALD_ADMIN_TOKEN: process.env.HERALD_ADMIN_TOKEN } : {}),
  });
  const herald = await startHerald(config, { logger: pino({ level: 'warn' }) });
  const url = herald.url!;
  const backend = await startCustomerBackend({ log: out });
  await wireUp(url, herald.adminToken, backend);
  const platform = startLabPlatform({ heraldUrl: url, token: herald.adminToken, everyMs: 6000, log: out });

  out('');
  out(`  Herald console:  ${url}/`);
  out(`  Admin token:     ${herald.adminToken}`);
  out(`  API docs:        ${url}/docs    metrics: ${url}/metrics`);
  out('');
  out('  A lab platform publishes an enrollment every 6 s; the customer backend builds each lab and reports');
  out('  back. Open the console, log in with the token, and watch Deliveries, Incoming and Entities.');
  out('  Ctrl-C stops everything.');
  out('');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    out('stopping the demo');
    platform.stop();
    await backend.close();
    await herald.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

// A start-up failure (port 8080 taken, say) is one line naming the variable, as for `npm start`.
main().catch((e: unknown) => exitOnConfigError(e));
