import type { EmailMessage } from "@clinic-chat/adapters";
import { linkEmail } from "./linkEmail";

/**
 * The Patient Portal invitation (ELIG-1). PHI-free like the chat notification (NOTIF-4): the
 * clinic's name and the link, never the patient's name or anything about their care. The token
 * rides in the link's fragment, which browsers never send to a server or put in a Referer.
 */
export function invitationEmail(
  to: string,
  clinicName: string,
  link: string,
  validDays: number,
): EmailMessage {
  return linkEmail({
    to,
    clinicName,
    subject: `Your invitation to the ${clinicName} Patient Portal`,
    why: `${clinicName} invited you to its secure Patient Portal, where you can exchange messages and files with the clinic.`,
    linkLine: `Choose your password here: ${link}`,
    button: "Choose your password",
    link,
    fineprint: `The link works once and expires in ${validDays} days. If you did not expect this email, you can ignore it.`,
  });
}
