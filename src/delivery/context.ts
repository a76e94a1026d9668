import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../util/secret-box.js';
import type { HandOver } from './hand-over.js';
import type { MessageCache } from './message-cache.js';
import type { Send } from './sender.js';
import type { AllowPrivate } from './ssrf.js';
import type { Telemetry } from '../telemetry/index.js';

/**
 * What delivery needs from the composition root. Declared here, not in services/, because services call delivery
 * and never the reverse: the services' context is this one with what only services use added (services/context.ts).
 */
export interface DeliveryContext {
  config: Config;
  store: Store;
  secrets: SecretBox;
  allowPrivate: AllowPrivate;
  /** The one guarded HTTP client: deliveries and validation calls alike. */
  send: Send;
  log: Logger;
  /** `wake` tells local dispatchers that work is due; `entity` carries entity-state changes to stream watchers. */
  events: EventEmitter;
  now(): number;
  /** Set when this process both publishes and delivers: messages just published, handed to the dispatcher. */
  recentMessages?: MessageCache;
  /** Set when this process both publishes and delivers, once its dispatcher runs: deliveries stored leased to it. */
  handOver?: HandOver;
  /** Set when traces are exported (OTEL_* variables); absent, nothing is traced and no tracing code is loaded. */
  telemetry?: Telemetry;
}
