import type { EmailMessage } from "./EmailMessage";

/**
 * Sends any finished email from the configured sender: chat notifications today, portal
 * invitations later. Throws only `EmailDeliveryError`, so callers can read `retryable`.
 */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}
