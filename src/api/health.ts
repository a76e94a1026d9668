import type { App } from './server.js';
import type { ApiDeps } from './deps.js';
import { storeReachable } from '../store/database.js';
import { workerLiveness } from '../services/workers.js';

/**
 * Liveness and readiness, on every role's port. They are polled every few seconds by load balancers and
 * supervisors, so they are not logged as requests (logLevel warn: the request line is written at info).
 * Readiness also says when a worker was last seen: an api process is ready without one, but an operator
 * should know that nothing is sending deliveries.
 */
export function healthRoutes(app: App, { ctx }: ApiDeps): void {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_req, reply) => {
    const ok = await storeReachable(ctx.store);
    reply.code(ok ? 200 : 503);
    const workers = ok ? await workerLiveness(ctx).catch(() => null) : null;
    return {
      status: ok ? 'ready' : 'store unreachable',
      store: ctx.store.caps.dialect,
      role: ctx.config.role,
      workers: workers && {
        active: workers.active,
        last_seen: workers.lastSeen === null ? null : new Date(workers.lastSeen).toISOString(),
        warning: workers.stale ? 'no worker has been seen in the last minute: deliveries are not being sent (start a process with HERALD_ROLE=worker or all)' : null,
      },
    };
  });
}
