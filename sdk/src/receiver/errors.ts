export type VerificationReason =
  | 'missing_header'
  | 'bad_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'bad_signature'
  | 'bad_credentials'
  | 'bad_secret'
  | 'malformed_body';

/** A webhook that must not be trusted: answer it 401 (or 400 for `malformed_body`) and do not act on it. */
export class WebhookVerificationError extends Error {
  constructor(
    readonly reason: VerificationReason,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}
