import type { Config, IncomingMessage } from './types.js';

/**
 * The validated message with each `config` taken from `exact`, the same body read losslessly, so the numbers a
 * backend reports (64-bit resource ids above all) are stored and shown as written rather than as doubles.
 * Validation reads the body as JSON.parse does and keeps every item only when the whole body is valid, so item
 * `n` of the message is item `n` of the body.
 */
export function withExactConfigs(msg: IncomingMessage, exact: unknown): IncomingMessage {
  const data = (exact as { data?: { resources?: unknown[]; interfaces?: unknown[] } } | null)?.data;
  const configOf = (list: unknown[] | undefined, n: number): Config | undefined =>
    (list?.[n] as { config?: Config } | undefined)?.config;
  const resources = msg.data.resources.map((r, n) => (r.config === undefined ? r : { ...r, config: configOf(data?.resources, n) ?? r.config }));
  const interfaces = msg.data.interfaces.map((i, n) => (i.config === undefined ? i : { ...i, config: configOf(data?.interfaces, n) ?? i.config }));
  return { ...msg, data: { resources, interfaces } } as IncomingMessage;
}
