/** The audit trail's actions in words an admin reads (SEC-3). */
export const actionNames: Readonly<Record<string, string>> = {
  "conversation.start": "Started a chat",
  "conversation.list": "Listed conversations",
  "conversation.read_history": "Read a conversation",
  "conversation.mark_read": "Marked as read",
  "conversation.add_participant": "Added a teammate",
  "message.send": "Sent a message",
  "message.delete": "Deleted a message",
  "file.upload_request": "Started a file upload",
  "file.upload_confirm": "Shared a file",
  "file.upload_rejected": "File refused after upload",
  "file.download": "Downloaded a file",
  "directory.search": "Searched people",
  "settings.change": "Changed clinic settings",
  "availability.change": "Changed chat availability",
  "notifications.change": "Changed notifications",
  "appointment.list": "Listed appointments",
  "appointment.read": "Opened an appointment",
  "patient.list": "Listed patients",
  "patient.read": "Opened a Patient File",
  "patient.add": "Added a patient",
  "patient.edit": "Edited a patient's details",
  "patient.portal_disable": "Disabled a Patient Portal account",
  "patient.portal_enable": "Re-enabled a Patient Portal account",
  "patient.import_preview": "Previewed a patient import",
  "patient.import": "Imported patients",
  "audit.read": "Read the audit trail",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_out": "Signed out",
  "auth.sign_out_everywhere": "Signed out everywhere",
  "auth.totp_enrol": "Set up two-step sign-in",
  "portal.invite": "Invited to the Patient Portal",
  "portal.activate": "Activated a portal account",
};

/** A short, readable form of an id: enough to match rows, never the whole key. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(-8) : "—";
}
