import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { resolveAdminToken } from './admin-token.js';
import { apiKeyRoutes } from './api/api-keys.js';
import { portalSessionRoutes } from './api/portal-sessions.js';
import { deliveryRoutes } from './api/deliveries.js';
import type { ApiDeps } from './api/deps.js';
import { endpointRoutes } from './api/endpoints.js';
import { entityRoutes } from './api/entities.js';
import { eventRoutes } from './api/events.js';
import { messageRoutes } from './api/messages.js';
import { healthRoutes } from './api/health.js';
import { incomingRoutes } from './api/incoming.js';
import { buildHealthServer } from './api/health-server.js';
import { buildServer, type App } from './api/server.js';
import { subscriptionRoutes } from './api/subscriptions.js';
import { topicRoutes } from './api/topics.js';
import type { Config } from './config.js';
import { consoleRoutes } from './console/plugin.js';
import { portalRoutes } from './portal/plugin.js';
import { makeAutoDisable, type AutoDisable } from './delivery/auto-disable.js';
import { makeAttemptRunner } from './delivery/attempt.js';
import { makeDispatcher, type Dispatcher } from './delivery/dispatcher.js';
import { makeOperationalEvents } from './services/operational-events.js';
import { makeMessageCache } from './delivery/message-cache.js';
import { startSendThreads, type SendThreads } from './delivery/send-threads.js';
import { makeRetention, type Retention } from './delivery/retention.js';
import { metricsRoutes } from './metrics.js';
import { parseRetrySchedule } from './delivery/retry-policy.js';
import { makeSender } from './delivery/sender.js';
import { createGuardedAgent, parseAllowPrivate } from './delivery/ssrf.js';
import { principalOfKey } from './services/api-keys.js';
import { makeCatalogService } from './services/catalog.js';
import type { ServiceContext } from './services/context.js';
import { makePublisher, NOTIFY_CHANNEL } from './services/publish.js';
import { checkEncryptionKey } from './services/encryption-key.js';
import { seedDefaultTopics } from './services/seed-topics.js';
import { makeTopicCache } from './services/topic-cache.js';
import { startHeartbeat, type Heartbeat } from './services/workers.js';
import { explainDataDirFailure, explainListenFailure, explainStoreFailure } from './startup-failure.js';
import { makeLogger } from './log-format.js';
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
  /** The API and console, or on a worker its health and metrics routes alone. */
  app: App;
  dispatcher: Dispatcher | null;
  adminToken: string;
  /** Base URL the API listens on (with the real port when HERALD_PORT=0). */
  url: string;
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
  const log = opts.logger ?? makeLogger(config.logLevel, config.logFormat);
  // Configuration errors surface before anything is opened.
  const allowPrivate = parseAllowPrivate(config.allowPrivateNetworks);
  const schedule = parseRetrySchedule(config.retrySchedule);
  const secrets = makeSecretBox(config.encryptionKey);

  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({
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
  } catch (e) {
    throw explainStoreFailure(e, config);
  }
  let token: Awaited<ReturnType<typeof resolveAdminToken>>;
  try {
    await checkEncryptionKey(store, secrets);
    token = await resolveAdminToken(config.adminToken, config.dataDir, store).catch((e: unknown) => {
      throw store.caps.dialect === 'sqlite' ? explainDataDirFailure(e, config.dataDir) : explainStoreFailure(e, config);
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  const adminToken = token.token;
  if (token.ignoredFile) log.warn({ file: token.ignoredFile }, 'the admin token file in the data dir differs from the token in the database: the database\'s is used');
  const agent = createGuardedAgent({ allow: allowPrivate, connectTimeoutMs: config.connectTimeoutMs, keepAliveTimeoutMs: 30_000 });
  const send = makeSender({ agent, allow: allowPrivate, requestTimeoutMs: config.requestTimeoutMs });
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const telemetry = await startTelemetry(config.telemetry, log);
  const ctx: ServiceContext = {
    config,
    store,
    // What fails after a commit (handing rows to this process's worker) leaves them to be claimed when their
    // leases run out: worth an operator's look, never a reason to fail the publish.
    commit: makeGroupCommitter(store, { onListenerError: (e) => log.error({ err: e }, 'a step after a committed write failed; its deliveries wait for their leases to run out') }),
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
  // Before the API listens: an endpoint enabled by the first request is announced too.
  const operational = makeOperationalEvents({ ctx, publish });
  operational.start();

  // Every role listens on HERALD_PORT: api processes serve the API and console, workers their health and
  // metrics, so a supervisor and a scraper treat them alike.
  let app: App;
  if (config.role !== 'worker') {
    app = await buildServer({ logger: log, adminToken, keyPrincipal: (key) => principalOfKey(ctx, key) });
    metricsRoutes(app, deps);
    healthRoutes(app, deps);
    endpointRoutes(app, deps);
    subscriptionRoutes(app, deps);
    topicRoutes(app, deps);
    eventRoutes(app, deps);
    deliveryRoutes(app, deps);
    messageRoutes(app, deps);
    incomingRoutes(app, deps);
    entityRoutes(app, deps);
    apiKeyRoutes(app, deps);
    portalSessionRoutes(app, deps);
    portalRoutes(app, deps);
    consoleRoutes(app, deps);
  } else {
    app = buildHealthServer(log);
    metricsRoutes(app, deps);
    healthRoutes(app, deps);
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close().catch(() => {});
    await store.close();
    throw explainListenFailure(e, config);
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${browsable(config.host)}:${port}`;
  if (!config.publicUrlExplicit && config.port === 0) config.publicUrl = `http://localhost:${port}`;
  if (token.generated) log.info({ admin_token: adminToken }, `admin token generated, kept in ${token.keptIn}; it is shown only this once:`);

  let dispatcher: Dispatcher | null = null;
  let sendThreads: SendThreads | null = null;
  let listener: { close(): Promise<void> } | null = null;
  let autoDisable: AutoDisable | null = null;
  let retention: Retention | null = null;
  let heartbeat: Heartbeat | null = null;
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
    // One process publishing and delivering: what it publishes is stored leased to its own worker.
    if (config.role === 'all') ctx.handOver = dispatcher.handOver;
    autoDisable = makeAutoDisable({ ctx, publish });
    autoDisable.start();
    retention = makeRetention({ ctx });
    retention.start();
    if (store.caps.notify && store.databaseUrl) listener = listenForWork(store.databaseUrl, NOTIFY_CHANNEL, () => events.emit('wake'), log);
    heartbeat = await startHeartbeat(ctx);
  }
  log.info({ role: config.role, store: store.caps.dialect, url, ...(config.role === 'worker' ? { metrics: `${url}/metrics` } : { console: `${url}/` }) }, 'herald started');

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
        if (!(await settlesBy(app.close(), deadline))) log.warn('shutdown deadline passed with HTTP requests open');
        delete ctx.handOver;
        await dispatcher?.stop(deadline);
        await sendThreads?.close(deadline);
        await autoDisable?.stop();
        await operational.stop();
        await retention?.stop();
        await heartbeat?.stop();
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

/** An address a browser on this machine can open for the one Herald listens on. */
function browsable(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
