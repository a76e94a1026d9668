import type { App } from './server.js';
import type { ApiDeps } from './deps.js';
import { storeReachable } from '../store/database.js';

export function healthRoutes(app: App, { ctx }: ApiDeps): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const ok = await storeReachable(ctx.store);
    reply.code(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'store unreachable', store: ctx.store.caps.dialect };
  });
}
