import { Type } from '@sinclair/typebox';
import type { ApiDeps } from './deps.js';
import { IdParams, Page, errorResponses, errorsFor } from './schemas.js';
import { ApiKeyPage, CreatedApiKey, NoContent } from './resources.js';
import type { App } from './server.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.js';
import { SCOPES } from '../services/principal.js';

const Tenant = Type.String({ minLength: 1, maxLength: 200 });

const ApiKeyCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    tenant: Tenant,
    // Checked by the service, so an unknown scope is one problem that names the allowed ones.
    scopes: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50, description: `any of ${SCOPES.join(', ')}` }),
    expires_at: Type.Optional(Type.Union([Type.String({ maxLength: 100, description: 'an ISO-8601 time in the future' }), Type.Null()])),
  },
  { additionalProperties: false },
);

export function apiKeyRoutes(app: App, { ctx }: ApiDeps): void {
  const admin = { onRequest: app.requireAdmin };
  const tags = ['api-keys'];

  app.post(
    '/v1/api-keys',
    {
      ...admin,
      schema: {
        tags,
        summary: "Create a tenant's API key; the key (`hk_...`) is in this answer only",
        body: ApiKeyCreate,
        response: { 201: CreatedApiKey, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return createApiKey(ctx, req.body);
    },
  );

  app.get(
    '/v1/api-keys',
    {
      ...admin,
      schema: {
        tags,
        summary: 'API keys, with their prefix and status, never the key',
        querystring: Type.Intersect([Page, Type.Object({ tenant: Type.Optional(Tenant) })]),
        response: { 200: ApiKeyPage, ...errorsFor(401, 422) },
      },
    },
    async (req) => {
      const q = req.query;
      return listApiKeys(ctx, { limit: q.limit ?? 50, ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.tenant ? { tenant: q.tenant } : {}) });
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    { ...admin, schema: { tags, summary: 'Revoke an API key, at once and on every process', params: IdParams, response: { 204: NoContent, ...errorsFor(401, 404) } } },
    async (req, reply) => {
      await revokeApiKey(ctx, req.params.id);
      reply.code(204).send();
    },
  );
}
