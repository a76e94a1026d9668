import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ApiDeps } from './deps.js';
import { IdParams, errorResponses, errorsFor } from './schemas.js';
import { CreatedPortalSession, NoContent, RevokedCount } from './resources.js';
import type { App } from './server.js';
import { invalid } from '../errors.js';
import { createPortalSession, revokePortalSession, revokeTenantPortalSessions } from '../services/portal-sessions.js';

const Tenant = Type.String({ minLength: 1, maxLength: 200 });

const PortalSessionCreate = Type.Object(
  {
    tenant: Tenant,
    ttl: Type.Optional(Type.String({ maxLength: 20, description: 'how long the session lasts, e.g. 30m, 1h, 7d (at most 7d); 1h if not given' })),
    read_only: Type.Optional(Type.Boolean()),
    brand: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 100 })),
          color: Type.Optional(Type.String({ maxLength: 7, description: '#rrggbb' })),
          logo_url: Type.Optional(Type.Union([Type.String({ maxLength: 2048, description: 'an https:// URL' }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export function portalSessionRoutes(app: App, { ctx }: ApiDeps): void {
  const admin = { onRequest: app.requireAdmin };
  const tags = ['portal-sessions'];

  /**
   * The link is absolute: HERALD_PUBLIC_URL when it was set (behind a proxy the request's own host may not be the
   * one a customer can reach), else the host the admin's request came in on.
   */
  const baseOf = (req: FastifyRequest) =>
    ctx.config.publicUrlExplicit ? ctx.config.publicUrl : `${req.protocol}://${req.headers.host ?? `localhost:${ctx.config.port}`}`;

  app.post(
    '/v1/portal-sessions',
    {
      ...admin,
      schema: {
        tags,
        summary: "Open a portal session for a tenant; the answer's url lets one person in, once",
        body: PortalSessionCreate,
        response: { 201: CreatedPortalSession, ...errorResponses },
      },
    },
    async (req, reply) => {
      const base = baseOf(req);
      const session = await createPortalSession(ctx, req.body, (token) => `${base}/portal/enter/${token}`);
      reply.code(201);
      return session;
    },
  );

  app.delete(
    '/v1/portal-sessions/:id',
    { ...admin, schema: { tags, summary: 'Revoke a portal session, at once and on every process', params: IdParams, response: { 204: NoContent, ...errorsFor(401, 404) } } },
    async (req, reply) => {
      await revokePortalSession(ctx, req.params.id);
      reply.code(204).send();
    },
  );

  app.delete(
    '/v1/portal-sessions',
    {
      ...admin,
      schema: {
        tags,
        summary: "Revoke every portal session of a tenant",
        querystring: Type.Object({ tenant: Type.Optional(Tenant) }),
        response: { 200: RevokedCount, ...errorsFor(401, 422) },
      },
    },
    async (req) => {
      const tenant = req.query.tenant;
      if (!tenant) throw invalid([{ path: '/querystring/tenant', message: 'is required: name the tenant whose sessions to revoke' }]);
      return { revoked: await revokeTenantPortalSessions(ctx, tenant) };
    },
  );
}
