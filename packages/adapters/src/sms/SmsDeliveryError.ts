/**
 * A text message that could not be handed to the provider. Its message names only the kind of
 * failure, the HTTP status and the provider's numeric error code, never the phone number or the
 * body (SEC-5); the worker reads `retryable` to choose between back-off and giving up (NOTIF-5).
 */
export class SmsDeliveryError extends Error {
  override readonly name = "SmsDeliveryError";
  constructor(
    message: string,
    /** True when the same text may go through on a later attempt. */
    readonly retryable: boolean,
    /** The provider's HTTP status, when it answered. */
    readonly status?: number,
    /** The provider's numeric error code (Twilio's `code`), when it gave one. */
    readonly providerCode?: number,
  ) {
    super(message);
  }
}
