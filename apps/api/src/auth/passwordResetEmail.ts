import type { EmailMessage } from "@clinic-chat/adapters";
import { linkEmail } from "./linkEmail";

/**
 * The password reset email (ACC-1), branded with the clinic's name. It names no one and says
 * nothing about anyone's care: the recipient is the account's own address. The token rides in the
 * link's fragment, which browsers never send to a server or put in a Referer.
 */
export function passwordResetEmail(
  to: string,
  clinicName: string,
  link: string,
  validMinutes: number,
): EmailMessage {
  return linkEmail({
    to,
    clinicName,
    subject: `Reset your ${clinicName} password`,
    why: `Someone asked to reset the password of your ${clinicName} account on Clinic Chat.`,
    linkLine: `Choose a new password here: ${link}`,
    button: "Choose a new password",
    link,
    fineprint: `The link works once and expires in ${validMinutes} minutes. Resetting your password signs you out everywhere. If you did not ask for this, you can ignore this email: your password stays as it is.`,
  });
}
