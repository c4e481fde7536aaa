import type { EmailSender } from "@clinic-chat/domain";
import { createLocalMailer, type LocalMailerOptions } from "./createLocalMailer";
import { notificationEmail } from "./notificationEmail";

/** The domain's {@link EmailSender} for the embedded default: each email becomes an `.eml` file. */
export function createLocalEmailSender(options: LocalMailerOptions): EmailSender {
  const mailer = createLocalMailer(options);
  return { send: (to, payload) => mailer.send(notificationEmail(to, payload)) };
}
