import { createTransport } from "nodemailer";
import { toEmailDeliveryError } from "./EmailDeliveryError";
import type { Mailer } from "./Mailer";
import { mailOptions } from "./mailOptions";

/** Where and as whom an SMTP mailer sends. */
export interface SmtpMailerOptions {
  /**
   * A nodemailer connection URL such as `smtps://user:pass@smtp.example.com:465`; query
   * parameters set further transport options (`?requireTLS=true`, `?connectionTimeout=5000`).
   */
  readonly smtpUrl: string;
  /** The sender, such as `"Clinic Chat <no-reply@example.com>"`. */
  readonly from: string;
}

/** A {@link Mailer} that hands each email to an SMTP server, one connection per email. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const transporter = createTransport({
    url: options.smtpUrl,
    // Nodemailer's defaults wait minutes; a notification worker should fail fast and retry later.
    // Options given in the URL win over these.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // No logger: nodemailer's transaction log would hold the recipient's address.
    logger: false,
    debug: false,
  });
  return {
    async send(message) {
      try {
        await transporter.sendMail(mailOptions(options.from, message));
      } catch (error) {
        throw toEmailDeliveryError(error);
      }
    },
  };
}
