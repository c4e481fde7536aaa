import type { SendMailOptions } from "nodemailer";
import type { EmailMessage } from "./EmailMessage";

/**
 * The nodemailer message for an {@link EmailMessage}, the same for every transport so the SMTP
 * server and the local `.eml` file receive byte-for-byte the same kind of message.
 */
export function mailOptions(from: string, message: EmailMessage): SendMailOptions {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    // RFC 3834: tells auto-responders (out-of-office) not to answer an automated email.
    headers: { "Auto-Submitted": "auto-generated" },
    // The message never needs files or URLs pulled in; refuse them outright.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
