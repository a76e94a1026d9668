import type { CustomerBackend } from './customer-backend.js';

export const DEMO_ENDPOINT_NAME = 'Demo customer backend';

async function api(heraldUrl: string, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(heraldUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * Points Herald at the simulated backend through the public API, as an operator would. The backend listens on a
 * new port each run, so an endpoint left by an earlier run is replaced rather than reused.
 */
export async function wireUp(heraldUrl: string, token: string, backend: CustomerBackend): Promise<{ endpointId: string }> {
  const existing = await api(heraldUrl, token, 'GET', '/v1/endpoints');
  for (const ep of existing.data as Array<{ id: string; name: string }>) {
    if (ep.name === DEMO_ENDPOINT_NAME) await api(heraldUrl, token, 'DELETE', `/v1/endpoints/${ep.id}`);
  }
  const ep = await api(heraldUrl, token, 'POST', '/v1/endpoints', { name: DEMO_ENDPOINT_NAME, url: backend.url, format: 'strigo' });
  backend.setCallbackCredentials(ep.callback.user, ep.callback.key);
  await api(heraldUrl, token, 'POST', '/v1/subscriptions', { endpoint_id: ep.id, events: ['ONDEMAND_ENROLLMENT/*'] });
  return { endpointId: ep.id };
}
