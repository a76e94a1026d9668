import { EventEmitter } from 'node:events';
import pino, { type Logger } from 'pino';
import { resolveAdminToken } from './admin-token.js';
import { deliveryRoutes } from './api/deliveries.js';
import type { ApiDeps } from './api/deps.js';
import { endpointRoutes } from './api/endpoints.js';
import { entityRoutes } from './api/entities.js';
import { eventRoutes } from './api/events.js';
import { healthRoutes } from './api/health.js';
import { incomingRoutes } from './api/incoming.js';
import { buildServer, type App } from './api/server.js';
import { subscriptionRoutes } from './api/subscriptions.js';
import { topicRoutes } from './api/topics.js';
import type { Config } from './config.js';
import { consoleRoutes } from './console/plugin.js';
import { makeAutoDisable, type AutoDisable } from './delivery/auto-disable.js';
import { makeAttemptRunner } from './delivery/attempt.js';
import { makeDispatcher, type Dispatcher } from './delivery/dispatcher.js';
import { makeMessageCache } from './delivery/message-cache.js';
import { startSendThreads, type SendThreads } from './delivery/send-threads.js';
import { makeRetention, type Retention } from './delivery/retention.js';
import { metricsRoutes } from './metrics.js';
import { parseRetrySchedule } from './delivery/retry-policy.js';
import { makeSender } from './delivery/sender.js';
import { createGuardedAgent, parseAllowPrivate } from './delivery/ssrf.js';
import { makeCatalogService } from './services/catalog.js';
import type { ServiceContext } from './services/context.js';
import { makePublisher, NOTIFY_CHANNEL } from './services/publish.js';
import { checkEncryptionKey } from './services/encryption-key.js';
import { seedDefaultTopics } from './services/seed-topics.js';
import { makeTopicCache } from './services/topic-cache.js';
import { openStore } from './store/database.js';
import { makeGroupCommitter } from './store/group-commit.js';
import type { Flush } from './store/wal-sync.js';
import { listenForWork } from './store/listen.js';
import { settlesBy } from './util/deadline.js';
import { makeSecretBox } from './util/secret-box.js';
import { startTelemetry } from './telemetry/index.js';

export interface Herald {
  config: Config;
  ctx: ServiceContext;
  app: App | null;
  dispatcher: Dispatcher | null;
  adminToken: string;
  /** Base URL the API listens on (with the real port when HERALD_PORT=0). */
  url: string | null;
  /**
   * Stops everything and closes the store. In-flight deliveries get until `deadline` (a `Date.now()` time,
   * HERALD_SHUTDOWN_TIMEOUT from now by default) to finish and be recorded; after it their leases are released.
   */
  close(deadline?: number): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** SQLite: how the WAL is put on disk (fdatasync by default). */
  walFlush?: Flush;
  /**
   * Told when the store can no longer vouch for what it confirmed (the SQLite WAL failed to sync). By default the
   * line is logged and the process exits with EX_IOERR, so a supervisor restarts it and SQLite recovers the WAL.
   */
  onFatal?: (error: Error) => void;
}

/** Exit code when the store can no longer promise durability (sysexits EX_IOERR). */
export const EX_IOERR = 74;

/** The composition root: builds store, services, API and dispatcher from the config, and starts what the role asks. */
export async function startHerald(config: Config, opts: StartOptions = {}): Promise<Herald> {
  const log =
    opts.logger ??
    pino({
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', '*.secret', '*.key', '*.auth_key'], censor: '****' },
    });
  // Configuration errors surface before anything is opened.
  const allowPrivate = parseAllowPrivate(config.allowPrivateNetworks);
  const schedule = parseRetrySchedule(config.retrySchedule);
  const secrets = makeSecretBox(config.encryptionKey);
  const { token: adminToken, generated } = resolveAdminToken(config.adminToken, config.dataDir);

  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    onCheckpointFailure: (error) => log.warn({ error }, 'SQLite checkpoint failed; the writing connection will checkpoint instead'),
    walFlush: opts.walFlush,
    onWalSyncFailure: (error) => {
      const line = `the SQLite WAL could not be synced to disk (${error.message}): exiting so that a restart recovers it; requests waiting for that sync were refused`;
      log.fatal({ err: error }, line);
      if (opts.onFatal) return opts.onFatal(error);
      process.stderr.write(`herald: fatal: ${line}\n`);
      process.exit(EX_IOERR);
    },
  });
  try {
    await checkEncryptionKey(store, secrets);
  } catch (e) {
    await store.close();
    throw e;
  }
  const agent = createGuardedAgent({ allow: allowPrivate, connectTimeoutMs: config.connectTimeoutMs, keepAliveTimeoutMs: 30_000 });
  const send = makeSender({ agent, allow: allowPrivate, requestTimeoutMs: config.requestTimeoutMs });
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const telemetry = await startTelemetry(config.telemetry, log);
  const ctx: ServiceContext = {
    config,
    store,
    commit: makeGroupCommitter(store),
    secrets,
    allowPrivate,
    send,
    log,
    events,
    now: () => Date.now(),
    ...(config.role === 'all' ? { recentMessages: makeMessageCache() } : {}),
    ...(telemetry ? { telemetry } : {}),
  };
  await seedDefaultTopics(ctx);
  const catalog = makeCatalogService(ctx);
  await catalog.reload();
  const publish = makePublisher(ctx, catalog, makeTopicCache(ctx));
  const deps: ApiDeps = { ctx, catalog, publish };

  let app: App | null = null;
  let url: string | null = null;
  if (config.role !== 'worker') {
    app = await buildServer({ logger: log, adminToken });
    metricsRoutes(app, deps);
    healthRoutes(app, deps);
    endpointRoutes(app, deps);
    subscriptionRoutes(app, deps);
    topicRoutes(app, deps);
    eventRoutes(app, deps);
    deliveryRoutes(app, deps);
    incomingRoutes(app, deps);
    entityRoutes(app, deps);
    consoleRoutes(app, deps);
    await app.listen({ port: config.port, host: config.host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    if (!config.publicUrlExplicit && config.port === 0) config.publicUrl = `http://localhost:${port}`;
  }
  if (generated) log.info({ admin_token: adminToken }, `generated admin token (saved in ${config.dataDir}/admin-token); it is shown only once`);

  let dispatcher: Dispatcher | null = null;
  let sendThreads: SendThreads | null = null;
  let listener: { close(): Promise<void> } | null = null;
  let autoDisable: AutoDisable | null = null;
  let retention: Retention | null = null;
  if (config.role !== 'api') {
    const callbackUrl = `${config.publicUrl}/v1/incoming`;
    if (config.sendThreads > 0) {
      sendThreads = await startSendThreads(
        { allowPrivateNetworks: config.allowPrivateNetworks, connectTimeoutMs: config.connectTimeoutMs, requestTimeoutMs: config.requestTimeoutMs, callbackUrl, schedule },
        config.sendThreads,
        log,
      );
    }
    dispatcher = makeDispatcher({ ctx, runAttempt: sendThreads?.runAttempt ?? makeAttemptRunner({ send, callbackUrl, schedule }) });
    dispatcher.start();
    autoDisable = makeAutoDisable({ ctx, publish });
    autoDisable.start();
    retention = makeRetention({ ctx });
    retention.start();
    if (store.caps.notify && store.databaseUrl) listener = listenForWork(store.databaseUrl, NOTIFY_CHANNEL, () => events.emit('wake'), log);
  }
  log.info({ role: config.role, store: store.caps.dialect, url }, 'herald started');

  let closing: Promise<void> | null = null;
  return {
    config,
    ctx,
    app,
    dispatcher,
    adminToken,
    url,
    close(deadline = Date.now() + config.shutdownTimeoutMs) {
      closing ??= (async () => {
        // A request that outlives the deadline (a live stream, a slow client) does not hold the rest back.
        if (app && !(await settlesBy(app.close(), deadline))) log.warn('shutdown deadline passed with HTTP requests open');
        await dispatcher?.stop(deadline);
        await sendThreads?.close(deadline);
        await autoDisable?.stop();
        await retention?.stop();
        await listener?.close();
        if (!(await settlesBy(agent.close(), deadline))) await agent.destroy();
        // The last spans (of the attempts just recorded) go out before the process ends.
        if (telemetry && !(await settlesBy(telemetry.shutdown(), deadline + 1000))) log.warn('trace export did not finish before the shutdown deadline');
        await store.close();
      })();
      return closing;
    },
  };
}
