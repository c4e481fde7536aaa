import type { AuditAction, AuditEvent } from "./AuditEvent";

/**
 * The words a record is told in, already resolved to names: who acted, and what they acted on.
 * Each falls back to a neutral phrase when the record holds no such id or the name is gone.
 */
export interface AuditTerms {
  /** "Dr Ana Ruiz (admin)", "Elena Park (b. 1984-03-02)", "The practice system", "The system". */
  readonly actor: string;
  /** "the conversation with Elena Park (b. 1984-03-02)", "the Team Chat “Front desk”", "a conversation". */
  readonly conversation: string;
  /** "MRI.pdf", "a file". */
  readonly file: string;
  /** The person acted on: "Elena Park (b. 1984-03-02)", "Sam Lee (practitioner)", "someone". */
  readonly subject: string;
  /** The record's reason code (a refusal's code, or why a session ended); null when none. */
  readonly reason: string | null;
}

type Sentence = (t: AuditTerms) => string;

/** Why a session ended, as `session.expired` and `session.ended` records give it, in words. */
const sessionEnds: Readonly<Record<string, string>> = {
  idle: "after being idle for the clinic's time limit",
  absolute: "at its 12-hour limit",
  account_unavailable: "because the account can no longer be used",
  signed_out_everywhere: "because they signed out everywhere",
  password_reset: "because their password was reset",
  password_changed: "because their password was changed",
};

const sessionEnd = (t: AuditTerms) => (t.reason ? (sessionEnds[t.reason] ?? "") : "");

/** A retention run's counts, kept in its reason as "messages=12 files=3", in words. */
const retentionCounts = (t: AuditTerms) => {
  const counts = /^messages=(\d+) files=(\d+)$/.exec(t.reason ?? "");
  return counts ? ` (${counts[1]} messages, ${counts[2]} files)` : "";
};

/** A message search (SRCH-1): the search itself, or the count it showed of one conversation ("hits=3"). */
const searchSentence = (t: AuditTerms) => {
  const hits = /^hits=(\d+)$/.exec(t.reason ?? "");
  if (hits) return `${t.actor}'s message search showed ${hits[1]} messages of ${t.conversation}`;
  return t.conversation === "a conversation"
    ? `${t.actor} searched the messages of their conversations`
    : `${t.actor} searched the messages of ${t.conversation}`;
};

/**
 * Every audited action as a sentence an admin reads (REC-6). Typed over every action, so an action
 * added to the list without words does not compile.
 */
export const auditSentences: Readonly<Record<AuditAction, Sentence>> = {
  "conversation.start": (t) => `${t.actor} started ${t.conversation}`,
  "conversation.list": (t) => `${t.actor} listed their conversations`,
  "conversation.read_history": (t) => `${t.actor} read ${t.conversation}`,
  "conversation.mark_read": (t) => `${t.actor} marked ${t.conversation} as read`,
  "conversation.add_participant": (t) => `${t.actor} added ${t.subject} to ${t.conversation}`,
  "conversation.rename": (t) => `${t.actor} renamed ${t.conversation}`,
  "conversation.export": (t) => `${t.actor} exported ${t.conversation} for the chart`,
  "conversation.export_pdf": (t) => `${t.actor} exported ${t.conversation} as a PDF`,
  "message.search": searchSentence,
  "legal_hold.place": (t) => `${t.actor} placed a legal hold on ${t.subject}`,
  "legal_hold.lift": (t) => `${t.actor} lifted the legal hold on ${t.subject}`,
  "retention.run": (t) =>
    `${t.actor} deleted what was past the clinic's retention period${retentionCounts(t)}`,
  "conversation.emergency_open": (t) => `${t.actor} opened ${t.conversation} with emergency access`,
  "inbox.list": (t) => `${t.actor} viewed the clinic inbox`,
  "inbox.claim": (t) => `${t.actor} took ${t.conversation} from the inbox`,
  "inbox.assign": (t) => `${t.actor} assigned ${t.conversation} to ${t.subject}`,
  "inbox.unassign": (t) => `${t.actor} unassigned ${t.conversation}`,
  "inbox.close": (t) => `${t.actor} closed ${t.conversation}`,
  "inbox.reopen": (t) => `${t.actor} reopened ${t.conversation}`,
  "inbox.mark_unread": (t) => `${t.actor} marked ${t.conversation} as unread`,
  "message.send": (t) => `${t.actor} sent a message in ${t.conversation}`,
  "message.delete": (t) => `${t.actor} deleted a message in ${t.conversation}`,
  "message.schedule": (t) => `${t.actor} scheduled a message in ${t.conversation}`,
  "message.schedule_edit": (t) => `${t.actor} edited a scheduled message in ${t.conversation}`,
  "message.schedule_cancel": (t) => `${t.actor} cancelled a scheduled message in ${t.conversation}`,
  "message.schedule_list": (t) => `${t.actor} read the scheduled messages of ${t.conversation}`,
  "template.save": (t) => `${t.actor} saved a reply template`,
  "template.delete": (t) => `${t.actor} deleted a reply template`,
  "template.fill": (t) => `${t.actor} filled a reply template for ${t.conversation}`,
  "file.upload_request": (t) => `${t.actor} started uploading ${t.file} to ${t.conversation}`,
  "file.upload_confirm": (t) => `${t.actor} shared ${t.file} in ${t.conversation}`,
  "file.upload_rejected": (t) => `${t.file} from ${t.actor} was refused after upload to ${t.conversation}`,
  "file.download": (t) => `${t.actor} downloaded ${t.file} from ${t.conversation}`,
  "file.upload_cancel": (t) => `${t.actor} cancelled the upload of ${t.file} to ${t.conversation}`,
  "directory.search": (t) => `${t.actor} searched the clinic's people`,
  "settings.change": (t) => `${t.actor} changed the clinic settings`,
  "availability.change": (t) => `${t.actor} changed their chat availability`,
  "notifications.change": (t) => `${t.actor} changed their notifications`,
  "appointment.list": (t) => `${t.actor} listed appointments`,
  "appointment.read": (t) => `${t.actor} opened an appointment of ${t.subject}`,
  "appointment.create": (t) => `${t.actor} booked an appointment for ${t.subject}`,
  "appointment.move": (t) => `${t.actor} moved an appointment of ${t.subject}`,
  "appointment.cancel": (t) => `${t.actor} cancelled an appointment of ${t.subject}`,
  "patient.list": (t) => `${t.actor} listed patients`,
  "patient.read": (t) => `${t.actor} opened the Patient File of ${t.subject}`,
  "patient.add": (t) => `${t.actor} added the patient ${t.subject}`,
  "patient.edit": (t) => `${t.actor} edited the details of ${t.subject}`,
  "patient.portal_disable": (t) => `${t.actor} disabled the Patient Portal account of ${t.subject}`,
  "patient.portal_enable": (t) => `${t.actor} re-enabled the Patient Portal account of ${t.subject}`,
  "patient.import_preview": (t) => `${t.actor} previewed a patient import`,
  "patient.import": (t) => `${t.actor} imported patients`,
  "patient.erase": (t) => `${t.actor} erased ${t.subject} and everything in their conversations`,
  "audit.read": (t) => `${t.actor} read the audit trail`,
  "audit.export": (t) => `${t.actor} exported the audit trail as CSV`,
  "auth.sign_in": (t) => `${t.actor} signed in`,
  "auth.sign_in_failed": (t) => `A sign-in as ${t.actor} failed`,
  "auth.sign_out": (t) => `${t.actor} signed out`,
  "auth.sign_out_everywhere": (t) => `${t.actor} signed out everywhere`,
  "auth.totp_enrol": (t) => `${t.actor} set up two-step sign-in`,
  "auth.password_reset_request": (t) => `${t.actor} asked for a password reset`,
  "auth.password_reset": (t) => `${t.actor} reset their password`,
  "auth.password_change": (t) => `${t.actor} changed their password`,
  "session.expired": (t) => `${t.actor}'s session ended ${sessionEnd(t) || "when it expired"}`,
  "session.ended": (t) => `${t.actor}'s session was ended ${sessionEnd(t)}`.trimEnd(),
  "portal.invite": (t) => `${t.actor} invited ${t.subject} to the Patient Portal`,
  "portal.activate": (t) => `${t.actor} activated their Patient Portal account`,
  "team.invite": (t) => `${t.actor} invited a team member`,
  "team.invite_resend": (t) => `${t.actor} resent a team invitation`,
  "team.invite_revoke": (t) => `${t.actor} revoked a team invitation`,
  "team.join": (t) => `${t.actor} joined the team`,
  "team.role_change": (t) => `${t.actor} changed the role of ${t.subject}`,
  "team.deactivate": (t) => `${t.actor} deactivated ${t.subject}`,
  "team.reactivate": (t) => `${t.actor} reactivated ${t.subject}`,
  "team.second_factor_reset": (t) => `${t.actor} reset the two-step sign-in of ${t.subject}`,
  "credential.create": (t) => `${t.actor} created an API credential`,
  "credential.revoke": (t) => `${t.actor} revoked an API credential`,
  "credential.token": (t) => `${t.actor} signed in with an API credential`,
  "host.record": (t) => `${t.actor} sent records`,
  "host.read": (t) => `${t.actor} read the record of ${t.subject}`,
  "host.open": (t) => `${t.actor} opened ${t.conversation} from the practice system`,
  "clinic.create": () => "The clinic was created",
  "clinic.plan_change": () => "The operator changed the clinic's plan",
  "webhook.register": (t) => `${t.actor} registered a webhook endpoint`,
  "webhook.list": (t) => `${t.actor} viewed the webhook endpoints`,
  "webhook.enable": (t) => `${t.actor} enabled a webhook endpoint`,
  "webhook.disable": (t) => `${t.actor} disabled a webhook endpoint`,
  "webhook.delete": (t) => `${t.actor} deleted a webhook endpoint`,
  "broadcast.preview": (t) => `${t.actor} previewed a broadcast`,
  "broadcast.create": (t) => `${t.actor} sent a broadcast`,
  "broadcast.cancel": (t) => `${t.actor} cancelled a broadcast`,
  "broadcast.read": (t) => `${t.actor} read a broadcast's report`,
  "broadcast.message": (t) => `${t.actor} sent a broadcast message to ${t.subject}`,
};

/** The outcome of a record in words, after its sentence; nothing for a success. */
const outcomeWords: Readonly<Record<AuditEvent["outcome"], string>> = {
  success: "",
  denied: " (refused)",
  failure: " (failed)",
};

/**
 * One record as a sentence (REC-6). An action this code base does not know (a record written by a
 * newer version) is still told, by its name.
 */
export function auditSentence(event: Pick<AuditEvent, "action" | "outcome">, terms: AuditTerms): string {
  const sentence: Sentence | undefined = auditSentences[event.action];
  const told = sentence ? sentence(terms) : `${terms.actor}: ${event.action}`;
  return `${told}${outcomeWords[event.outcome] ?? ""}`;
}
