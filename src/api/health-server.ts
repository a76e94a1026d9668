import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { App } from './server.js';

/**
 * A worker's HTTP server: only /healthz, /readyz and /metrics are routed on it (by the caller), so it has no
 * API, console, token or body parsing, and logs no requests.
 */
export function buildHealthServer(logger: Logger): App {
  const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({
      error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}: a worker serves /healthz, /readyz and /metrics only`, details: [] },
    });
  });
  return app;
}
