export { verifyStandard, type StandardEvent, type StandardOptions } from './standard.js';
export { verifyCloudpods, type CloudpodsEvent, type CloudpodsMessage, type CloudpodsOptions } from './cloudpods.js';
export { verifyStrigo, type StrigoMessage } from './strigo.js';
export { WebhookVerificationError, type VerificationReason } from './errors.js';
export type { HeaderSource, RawBody } from './wire.js';
export { callbackFrom, type Callback, type CallbackCredentials, type CallbackOptions, type CallbackSource } from './callback.js';
export type { Interface, InterfaceType, Report, Resource, ResourceRef, ResourceStatus, ResourceType, IncomingAnswer } from './incoming.js';
export { HeraldError } from '../errors.js';
