/**
 * Email behind the domain's `EmailSender`: SMTP for production, `.eml` files in a folder for the
 * zero-config default, and the generic {@link Mailer} underneath for other automated emails.
 * @packageDocumentation
 */

export { createLocalEmailSender } from "./createLocalEmailSender";
export { createLocalMailer, type LocalMailerOptions } from "./createLocalMailer";
export { createSmtpEmailSender } from "./createSmtpEmailSender";
export { createSmtpMailer, type SmtpMailerOptions } from "./createSmtpMailer";
export { EmailDeliveryError } from "./EmailDeliveryError";
export type { EmailMessage } from "./EmailMessage";
export type { Mailer } from "./Mailer";
export { notificationEmail } from "./notificationEmail";
