import type { NotificationPayload } from "@clinic-chat/domain";
import type { EmailMessage } from "./EmailMessage";

const htmlEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char);
}

/**
 * The chat notification email for one recipient (NOTIF-4). Everything in it comes from the
 * payload, which the domain builds PHI-free; this adds layout only, never data.
 */
export function notificationEmail(to: string, payload: NotificationPayload): EmailMessage {
  // The plain text carries the link for text-only mail programs; in HTML the button carries it,
  // so the sentence is shown without it rather than twice.
  const sentence = payload.text.split(payload.link).join("").trim().replace(/:$/, "");
  const paragraphs = sentence
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(
      (part) =>
        `<p style="margin:0 0 16px;font-size:16px;line-height:1.5">${escapeHtml(part).replace(/\n/g, "<br>")}</p>`,
    )
    .join("\n");
  const link = escapeHtml(payload.link);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(payload.subject)}</title>
</head>
<body style="margin:0;padding:24px;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#111827">
<div style="max-width:480px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<h1 style="margin:0 0 24px;font-size:20px">${escapeHtml(payload.clinicName)}</h1>
${paragraphs}
<p style="margin:24px 0"><a href="${link}" style="display:inline-block;padding:12px 24px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">Sign in</a></p>
<p style="margin:0;font-size:13px;color:#4b5563">If the button does not work, open this address in your browser:<br><a href="${link}" style="color:#1d4ed8">${link}</a></p>
</div>
</body>
</html>
`;
  return { to, subject: payload.subject, text: payload.text, html };
}
