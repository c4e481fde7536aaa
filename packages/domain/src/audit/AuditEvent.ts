import type { PersonRef } from "../people/people";

/** Every kind of access to PHI or change the audit trail records (SEC-3). */
export const auditActions = [
  "conversation.start",
  "conversation.list",
  "conversation.read_history",
  "conversation.mark_read",
  "conversation.add_participant",
  "conversation.rename",
  "inbox.list",
  "inbox.claim",
  "inbox.assign",
  "inbox.unassign",
  "inbox.close",
  "inbox.reopen",
  "inbox.mark_unread",
  "message.send",
  "message.delete",
  "message.schedule",
  "message.schedule_edit",
  "message.schedule_cancel",
  "message.schedule_list",
  "template.save",
  "template.delete",
  "template.fill",
  "file.upload_request",
  "file.upload_confirm",
  "file.upload_rejected",
  "file.download",
  "file.upload_cancel",
  "directory.search",
  "settings.change",
  "availability.change",
  "notifications.change",
  "appointment.list",
  "appointment.read",
  "appointment.create",
  "appointment.move",
  "appointment.cancel",
  "patient.list",
  "patient.read",
  "patient.add",
  "patient.edit",
  "patient.portal_disable",
  "patient.portal_enable",
  "patient.import_preview",
  "patient.import",
  "patient.erase",
  "audit.read",
  "audit.export",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "auth.sign_out_everywhere",
  "auth.totp_enrol",
  "auth.password_reset_request",
  "auth.password_reset",
  "auth.password_change",
  "session.expired",
  "session.ended",
  "portal.invite",
  "portal.activate",
  "team.invite",
  "team.invite_resend",
  "team.invite_revoke",
  "team.join",
  "team.role_change",
  "team.deactivate",
  "team.reactivate",
  "team.second_factor_reset",
  "credential.create",
  "credential.revoke",
  "credential.token",
  "host.record",
  "host.read",
  "host.open",
  "clinic.create",
  "clinic.plan_change",
  "conversation.export",
  "conversation.emergency_open",
  "webhook.register",
  "webhook.list",
  "webhook.enable",
  "webhook.disable",
  "webhook.delete",
  "broadcast.preview",
  "broadcast.create",
  "broadcast.cancel",
  "broadcast.read",
  "broadcast.message",
  "legal_hold.place",
  "legal_hold.lift",
  "retention.run",
  "conversation.export_pdf",
  "message.search",
] as const;
/** One audited action. */
export type AuditAction = (typeof auditActions)[number];

/** The outcome of an audited action. */
export type AuditOutcome = "success" | "denied" | "failure";

/**
 * One append-only audit record: who, in which clinic, did what to which ids, when, from where, and
 * how it ended. Never content: no message text, file name or patient name (SEC-3, SEC-5).
 */
export interface AuditEvent {
  readonly clinicId: string;
  readonly actor: PersonRef | null;
  /** The API credential that acted where no person did: the host system's calls (INTEG-1). */
  readonly credentialId?: string | null;
  readonly action: AuditAction;
  readonly conversationId?: string | null;
  readonly messageId?: string | null;
  readonly fileId?: string | null;
  readonly subject?: PersonRef | null;
  /** The broadcast an action belongs to (BCAST-1: one record for it, one per message it sent). */
  readonly broadcastId?: string | null;
  /**
   * The refusal's reason code for a `denied` outcome (never a message); for `retention.run`, its
   * counts ("messages=12 files=3").
   */
  readonly reason?: string | null;
  readonly at: Date;
  readonly ip: string | null;
  readonly outcome: AuditOutcome;
}

/** An audit record as stored, with its id. */
export interface StoredAuditEvent extends AuditEvent {
  readonly id: string;
}
