/**
 * Glossary for the pure formats layer.
 * - A message is one published event after coalescing; its id never changes across retries.
 * - An endpoint's format decides how the message becomes one HTTP request.
 * Formats are pure: the same input always gives the same bytes. Time and randomness come in as arguments.
 */

export type FormatName = 'strigo' | 'cloudpods' | 'standard';

export interface MessageView {
  id: string; // msg_...
  tenant: string;
  type: string; // upper-case as published for strigo; cloudpods types are lower-case resource types
  action: string;
  result: 'succeed' | 'failed';
  entityIds: string[];
  /**
   * The published data as the publisher wrote it (a JSON object, whitespace between tokens removed). Bodies
   * splice it in; templates read it losslessly when they render, so no parsed copy travels with the message.
   */
  dataJson: string;
  /** ISO-8601 time the event was accepted (the envelope's `timestamp`). */
  timestamp: string;
  /** The W3C trace context of the publish; null (or absent) when it was not traced. */
  traceparent?: string | null;
}

export interface EndpointView {
  id: string;
  format: FormatName;
  url: string;
  auth?: { user: string; key: string } | null;
  /** Signing secrets, newest first. Standard Webhooks signs with each (rotation); cloudpods uses the first. */
  secrets: string[];
  headers: Record<string, string>;
  /**
   * Extra body keys (cloudpods) as stored: a JSON object's text, read losslessly when a request is rendered. Text,
   * not values, because the view crosses to a send thread by structured clone, which keeps no number class.
   */
  bodyJson: string;
  msgKey: string; // default 'Msg'
  lang: 'en' | 'cn';
  useTemplate: boolean;
  /** Which semantics render topic templates (cloudpods endpoints); absent: cloudpods. */
  templateMode?: TemplateMode;
  /** Deliveries carry a `traceparent` header naming the attempt (when the message was traced). */
  traceContext?: boolean;
}

export type TemplateMode = 'cloudpods' | 'go';

export interface TopicTemplates {
  title_en?: string | null;
  title_cn?: string | null;
  content_en?: string | null;
  content_cn?: string | null;
  /** The topic's own template mode; null or absent: the endpoint's. */
  template_mode?: string | null;
}

export interface RenderInput {
  message: MessageView;
  endpoint: EndpointView;
  /** `<HERALD_PUBLIC_URL>/v1/incoming` */
  callbackUrl: string;
  /** Unix seconds of this attempt (webhook-timestamp). */
  nowSeconds: number;
  /** A fresh id for X-Request-Id (cloudpods). */
  requestId: string;
  /** Templates of the topic that matched, when any (cloudpods use_template). */
  templates?: TopicTemplates | null;
}

export interface RenderedRequest {
  headers: Record<string, string>;
  body: string;
}

/** A render failure that must be recorded on the delivery, e.g. a template error. */
export class RenderError extends Error {
  constructor(
    readonly errorClass: 'template' | 'render',
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}
