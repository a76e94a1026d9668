import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/database.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { SecretBox } from '../util/secret-box.js';
import type { AllowPrivate } from '../delivery/ssrf.js';
import type { Send } from '../delivery/sender.js';
import type { MessageCache } from '../delivery/message-cache.js';
import type { Telemetry } from '../telemetry/index.js';

/** What every service needs, built once by the composition root. Plain data: no hidden singletons. */
export interface ServiceContext {
  config: Config;
  store: Store;
  commit: GroupCommit;
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
  /** Set when traces are exported (OTEL_* variables); absent, nothing is traced and no tracing code is loaded. */
  telemetry?: Telemetry;
}
