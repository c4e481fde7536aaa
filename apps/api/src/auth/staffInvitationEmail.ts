import type { EmailMessage } from "@clinic-chat/adapters";

const htmlEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char);

const roleWords = { admin: "an admin", practitioner: "a practitioner", staff: "a staff member" } as const;

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
  const subject = `Join ${clinicName} on Clinic Chat`;
  const lines = [
    `${clinicName} invited you to Clinic Chat as ${roleWords[role]}.`,
    `Set your password and your two-step sign-in here: ${link}`,
    `The link works once and expires in ${validDays} days. If you did not expect this email, you can ignore it.`,
  ];
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:24px;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#111827">
<div style="max-width:480px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<h1 style="margin:0 0 24px;font-size:20px">${escapeHtml(clinicName)}</h1>
<p style="margin:0 0 16px;font-size:16px;line-height:1.5">${escapeHtml(lines[0]!)}</p>
<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="display:inline-block;padding:12px 24px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">Accept the invitation</a></p>
<p style="margin:0 0 16px;font-size:14px;line-height:1.5;color:#4b5563">${escapeHtml(lines[2]!)}</p>
<p style="margin:0;font-size:13px;color:#4b5563">If the button does not work, open this address in your browser:<br><a href="${escapeHtml(link)}" style="color:#1d4ed8">${escapeHtml(link)}</a></p>
</div>
</body>
</html>
`;
  return { to, subject, text: `${lines.join("\n\n")}\n`, html };
}
