import type { EmailMessage } from "@clinic-chat/adapters";
import { linkEmail } from "./linkEmail";

const roleWords = { admin: "an admin", practitioner: "a practitioner", staff: "front desk staff" } as const;

/**
 * The staff invitation (ADMIN-2), branded with the clinic's name: the role and the link, nothing
 * about patients. The token rides in the link's fragment, which browsers never send to a server.
 */
export function staffInvitationEmail(
  to: string,
  clinicName: string,
  role: keyof typeof roleWords,
  link: string,
  validDays: number,
): EmailMessage {
  return linkEmail({
    to,
    clinicName,
    subject: `Join ${clinicName} on Clinic Chat`,
    why: `${clinicName} invited you to Clinic Chat as ${roleWords[role]}.`,
    linkLine: `Set your password and your two-step sign-in here: ${link}`,
    button: "Accept the invitation",
    link,
    fineprint: `The link works once and expires in ${validDays} days. If you did not expect this email, you can ignore it.`,
  });
}
