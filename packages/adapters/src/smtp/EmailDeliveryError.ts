/**
 * An email that could not be handed over. Its message names only the kind of failure and the SMTP
 * reply code, never the recipient or the body (SEC-5), so it is safe to log; the worker reads
 * `retryable` to choose between back-off and giving up (NOTIF-5).
 */
export class EmailDeliveryError extends Error {
  override readonly name = "EmailDeliveryError";
  constructor(
    message: string,
    /** True when the same email may go through on a later attempt. */
    readonly retryable: boolean,
    /** The SMTP reply code, when a server answered. */
    readonly responseCode?: number,
    /** Nodemailer's or Node's error code, such as `ECONNECTION`; never carries an address. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The error codes of a message or configuration that would fail again, unchanged, on retry. */
const permanentCodes = new Set([
  "EENVELOPE",
  "ECONFIG",
  "EMAXRECIPIENTS",
  "EFILEACCESS",
  "EURLACCESS",
  "EREQUIRETLS",
]);

/**
 * Turns whatever nodemailer or the file system threw into an {@link EmailDeliveryError}. The
 * original error is dropped, not kept as `cause`: SMTP replies often echo the recipient address
 * ("550 <someone@example.com> unknown"), and loggers print causes.
 */
export function toEmailDeliveryError(error: unknown): EmailDeliveryError {
  if (error instanceof EmailDeliveryError) return error;
  const facts = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const responseCode = typeof facts.responseCode === "number" ? facts.responseCode : undefined;
  // Only an all-caps code is passed on; anything else could be free text from a server.
  const code = typeof facts.code === "string" && /^[A-Z0-9_]+$/.test(facts.code) ? facts.code : undefined;
  const command = typeof facts.command === "string" && /^[A-Z ]+$/.test(facts.command) ? facts.command : "";

  if (responseCode !== undefined) {
    // Nodemailer classifies the reply itself (5xx permanent except 503, a session-state error);
    // fall back to the reply class when an older path leaves it unset.
    const permanent = typeof facts.permanent === "boolean" ? facts.permanent : responseCode >= 500;
    const at = command ? ` at ${command}` : "";
    return new EmailDeliveryError(
      `Email was refused by the SMTP server (${responseCode}${at})`,
      !permanent,
      responseCode,
      code,
    );
  }
  if (code !== undefined && permanentCodes.has(code)) {
    return new EmailDeliveryError(`Email could not be sent (${code})`, false, undefined, code);
  }
  // Connection, timeout, TLS, DNS and disk errors: the next attempt may find things working.
  const suffix = code ? ` (${code})` : "";
  return new EmailDeliveryError(`Email could not be sent${suffix}`, true, undefined, code);
}
