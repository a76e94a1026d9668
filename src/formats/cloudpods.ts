import { COMMON_CONTENT_CN, COMMON_CONTENT_EN } from '../catalog/cloudpods-topics.js';
import { eventKey } from '../catalog/event-key.js';
import { cloudpodsTemplateVariables } from './cloudpods-display.js';
import { canonicalHeaderName, withExtraHeaders } from './headers.js';
import { hmacSha256Hex } from './signing.js';
import { sortedJson } from './sorted-json.js';
import { parseLossless } from '../util/lossless-json.js';
import { renderTemplate } from './template/index.js';
import { RenderError, type EndpointView, type RenderedRequest, type RenderInput, type TemplateMode } from './types.js';

/**
 * Cloudpods notify's webhook robot format (seed 002). Receivers written for Cloudpods verify
 * X-Auth-Token over the exact body bytes and read the message either from the top-level keys or from
 * the JSON string under `msg_key`, so both are sent, in Go's sorted compact JSON.
 */

export const DEFAULT_MSG_KEY = 'Msg';
export const VALIDATE_MESSAGE = 'This is a validate message.';
const MESSAGE_KEYS = ['action', 'resource_type', 'resource_details', 'result'] as const;

function msgKeyOf(endpoint: Pick<EndpointView, 'msgKey'>): string {
  return endpoint.msgKey.length > 0 ? endpoint.msgKey : DEFAULT_MSG_KEY;
}

/**
 * Extra body keys go on top, except any that would overwrite the message: the API refuses those, and
 * rendering drops them should one ever get through, because a lost message is worse than a lost extra.
 */
function withExtraBody(base: Record<string, unknown>, extraJson: string): Record<string, unknown> {
  if (extraJson === '{}') return base;
  const extra = parseLossless(extraJson) as Record<string, unknown>;
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (Object.prototype.hasOwnProperty.call(base, key)) continue;
    out[key] = value;
  }
  return out;
}

function cloudpodsHeaders(
  endpoint: EndpointView,
  requestId: string,
  event: string,
  body: string,
): Record<string, string> {
  const headers = withExtraHeaders(
    {
      'Content-Type': 'application/json',
      'User-Agent': 'yunioncloud-go/201708',
      Accept: '*/*',
      'Accept-Encoding': '*',
      'X-Request-Id': requestId,
      'X-Yunion-Event': event,
    },
    endpoint.headers,
    canonicalHeaderName,
  );
  const secret = endpoint.secrets[0];
  if (secret !== undefined && secret.length > 0) headers['X-Auth-Token'] = hmacSha256Hex(secret, body);
  return headers;
}

/** A topic that names its mode wrote its templates for it; otherwise the endpoint's mode applies. */
export function templateModeOf(input: Pick<RenderInput, 'endpoint' | 'templates'>): TemplateMode {
  const own = input.templates?.template_mode;
  return own === 'go' || own === 'cloudpods' ? own : (input.endpoint.templateMode ?? 'cloudpods');
}

function renderContent(input: RenderInput): string {
  const lang = input.endpoint.lang;
  const own = lang === 'cn' ? input.templates?.content_cn : input.templates?.content_en;
  const source = own && own.length > 0 ? own : lang === 'cn' ? COMMON_CONTENT_CN : COMMON_CONTENT_EN;
  try {
    return renderTemplate(source, cloudpodsTemplateVariables(input.message, lang), { mode: templateModeOf(input) });
  } catch (error) {
    if (error instanceof RenderError) throw error;
    throw new RenderError('template', error instanceof Error ? error.message : String(error));
  }
}

export function renderCloudpods(input: RenderInput): RenderedRequest {
  const { message, endpoint } = input;
  const msgKey = msgKeyOf(endpoint);

  let base: Record<string, unknown>;
  if (endpoint.useTemplate) {
    base = { [msgKey]: renderContent(input) };
  } else {
    const payload = {
      action: message.action.toLowerCase(),
      // Read losslessly: every number reaches jsonutils' spelling from its published text, not from a double.
      resource_details: parseLossless(message.dataJson),
      resource_type: message.type.toLowerCase(),
      result: message.result,
    };
    base = { ...payload, [msgKey]: sortedJson(payload) };
  }

  const body = sortedJson(withExtraBody(base, endpoint.bodyJson));
  return { headers: cloudpodsHeaders(endpoint, input.requestId, eventKey(message), body), body };
}

/** The call Cloudpods makes when a robot is created or its address changes; anything but 2xx refuses it. */
export function renderCloudpodsValidation(endpoint: EndpointView, requestId: string): RenderedRequest {
  const body = sortedJson(withExtraBody({ [msgKeyOf(endpoint)]: VALIDATE_MESSAGE }, endpoint.bodyJson));
  return { headers: cloudpodsHeaders(endpoint, requestId, 'VALIDATE', body), body };
}

export interface CloudpodsEndpointProblem {
  path: string;
  message: string;
}

/** Settings a Cloudpods endpoint must not have, with JSON paths into the endpoint's API object. */
export function cloudpodsEndpointProblems(fields: {
  msgKey: unknown;
  body?: Record<string, unknown> | null;
  headers?: Record<string, string> | null;
}): CloudpodsEndpointProblem[] {
  const problems: CloudpodsEndpointProblem[] = [];
  const msgKey = fields.msgKey;
  if (typeof msgKey !== 'string' || msgKey.length === 0) {
    problems.push({ path: '/msg_key', message: 'msg_key must be a non-empty string' });
  } else if ((MESSAGE_KEYS as readonly string[]).includes(msgKey)) {
    problems.push({ path: '/msg_key', message: `msg_key ${JSON.stringify(msgKey)} would overwrite the message's ${msgKey}` });
  }
  for (const key of Object.keys(fields.body ?? {})) {
    if (key === msgKey) {
      problems.push({
        path: `/body/${escapePointer(key)}`,
        message: `extra body key ${JSON.stringify(key)} equals msg_key and would overwrite the message`,
      });
    } else if ((MESSAGE_KEYS as readonly string[]).includes(key)) {
      problems.push({
        path: `/body/${escapePointer(key)}`,
        message: `extra body key ${JSON.stringify(key)} would overwrite the message's ${key}`,
      });
    }
  }
  for (const name of Object.keys(fields.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-type' || lower === 'x-auth-token') {
      problems.push({
        path: `/headers/${escapePointer(name)}`,
        message: `header ${JSON.stringify(name)} is set by Herald and cannot be overridden`,
      });
    }
  }
  return problems;
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
