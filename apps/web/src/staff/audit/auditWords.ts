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
  "appointment.create": "Booked an appointment",
  "appointment.move": "Moved an appointment",
  "appointment.cancel": "Cancelled an appointment",
  "patient.list": "Listed patients",
  "patient.read": "Opened a Patient File",
  "audit.read": "Read the audit trail",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_out": "Signed out",
  "auth.sign_out_everywhere": "Signed out everywhere",
  "auth.totp_enrol": "Set up two-step sign-in",
  "auth.password_reset_request": "Asked for a password reset",
  "auth.password_reset": "Reset their password",
  "auth.password_change": "Changed their password",
  "portal.invite": "Invited to the Patient Portal",
  "portal.activate": "Activated a portal account",
};

/** A short, readable form of an id: enough to match rows, never the whole key. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(-8) : "—";
}
