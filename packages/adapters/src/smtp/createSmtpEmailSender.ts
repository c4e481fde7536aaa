import type { EmailSender } from "@clinic-chat/domain";
import { createSmtpMailer, type SmtpMailerOptions } from "./createSmtpMailer";
import { notificationEmail } from "./notificationEmail";

/** The domain's {@link EmailSender} over SMTP; failures throw `EmailDeliveryError`. */
export function createSmtpEmailSender(options: SmtpMailerOptions): EmailSender {
  const mailer = createSmtpMailer(options);
  return { send: (to, payload) => mailer.send(notificationEmail(to, payload)) };
}
