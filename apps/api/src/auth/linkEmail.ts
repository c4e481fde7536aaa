import type { EmailMessage } from "@clinic-chat/adapters";

const htmlEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char);

/** What a sign-in email says: why it came, what the button does, and what to know about the link. */
export interface LinkEmailContent {
  readonly to: string;
  readonly clinicName: string;
  readonly subject: string;
  readonly why: string;
  /** The plain-text line that carries the link, e.g. "Choose your password here: …". */
  readonly linkLine: string;
  readonly button: string;
  readonly link: string;
  readonly fineprint: string;
}

/**
 * A sign-in email with one link (invitations, password resets), branded with the clinic's name:
 * the same text and HTML layout for each, so every one reads alike and none can carry more than
 * its content says.
 */
export function linkEmail(content: LinkEmailContent): EmailMessage {
  const { subject, clinicName, link } = content;
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
<p style="margin:0 0 16px;font-size:16px;line-height:1.5">${escapeHtml(content.why)}</p>
<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="display:inline-block;padding:12px 24px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">${escapeHtml(content.button)}</a></p>
<p style="margin:0 0 16px;font-size:14px;line-height:1.5;color:#4b5563">${escapeHtml(content.fineprint)}</p>
<p style="margin:0;font-size:13px;color:#4b5563">If the button does not work, open this address in your browser:<br><a href="${escapeHtml(link)}" style="color:#1d4ed8">${escapeHtml(link)}</a></p>
</div>
</body>
</html>
`;
  return {
    to: content.to,
    subject,
    text: `${[content.why, content.linkLine, content.fineprint].join("\n\n")}\n`,
    html,
  };
}
