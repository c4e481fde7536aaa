import { sql } from "kysely";
import { connectPostgres } from "./connectPostgres";
import { resetLoginRole, roleName } from "./loginRole";
import { migrateToLatest } from "./migrate";
import { checkOwnerPrerequisites } from "./ownerPrerequisites";

/** What {@link preparePostgres} needs: the owner's connection and the application role to set up. */
export interface PrepareOptions {
  /** Connection URL of the role that owns (or will own) the tables; migrations run as it. */
  readonly ownerUrl: string;
  /** The LOGIN role the application connects as. */
  readonly appRole: string;
  readonly appPassword: string;
}

/**
 * The application role's privileges, table by table: only what the stores use. It owns nothing,
 * so row-level security applies to it, and it can neither update nor delete the audit log or the
 * event log (SEC-3).
 */
export const appGrants: Readonly<Record<string, readonly string[]>> = {
  clinics: ["SELECT", "INSERT", "UPDATE"],
  staff: ["SELECT", "INSERT", "UPDATE"],
  patients: ["SELECT", "INSERT", "UPDATE"],
  // An erased patient's appointments go with them (REC-2).
  appointments: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  conversations: ["SELECT", "INSERT", "UPDATE"],
  conversation_participants: ["SELECT", "INSERT", "UPDATE"],
  // Erasing a message is the only change a message ever sees: it may rewrite the body, never
  // who sent it, where or when.
  messages: [
    "SELECT",
    "INSERT",
    "UPDATE (body_kind, text, file_id, deleted_at, deleted_by_kind, deleted_by_id)",
  ],
  files: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  // REC-1, REC-2: a clinic's key is made once and re-wrapped by rotations; a data key is made with
  // its message or file and deleted with its content.
  clinic_keys: ["SELECT", "INSERT", "UPDATE (kek_id, wrapped)"],
  message_keys: ["SELECT", "INSERT", "DELETE"],
  file_keys: ["SELECT", "INSERT", "DELETE"],
  // SRCH-1: a text's keyed words are written with it and deleted with its content.
  message_search: ["SELECT", "INSERT", "DELETE"],
  // A broadcast's, template's or scheduled message's key is replaced when its text is.
  record_keys: ["SELECT", "INSERT", "UPDATE (wrapped)", "DELETE"],
  // FILE-6: why a file was refused, kept for its sender; the cleanup removes old ones.
  file_refusals: ["SELECT", "INSERT", "DELETE"],
  notification_states: ["SELECT", "INSERT", "UPDATE"],
  // A burst's messages come and go: joined by a send, dropped by a read, a deletion or its end
  // (a row an ended burst left behind may move to the new burst, never to another message).
  notification_burst_messages: ["SELECT", "INSERT", "UPDATE (burst_id)", "DELETE"],
  notification_deliveries: ["SELECT", "INSERT", "UPDATE"],
  conversation_events: ["SELECT", "INSERT"],
  // INBOX-2: the timeline is appended to, never rewritten.
  conversation_timeline: ["SELECT", "INSERT"],
  audit_log: ["SELECT", "INSERT"],
  // REC-7: a grant is written once and kept, like the audit record it goes with.
  emergency_access: ["SELECT", "INSERT"],
  // TPL-1: kept, changed and deleted by their owners (the clinic's by admins).
  message_templates: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  // SCHED-1: edited and settled, never removed: what became of each stays for its author.
  scheduled_messages: [
    "SELECT",
    "INSERT",
    "UPDATE (text, send_at, status, message_id, refusal, author_emailed)",
  ],
  // INTEG-1: a credential is used, counted and revoked; its secret's digest and clinic never change.
  api_credentials: [
    "SELECT",
    "INSERT",
    "UPDATE (last_used_at, revoked_at, calls_window_start, calls_in_window)",
  ],
  // BCAST-1: a broadcast changes state only (and its earlier plain text is sealed, REC-1); its
  // recipients record what became of them; its file record goes when the broadcast ends.
  broadcasts: ["SELECT", "INSERT", "UPDATE (state, text)"],
  broadcast_recipients: [
    "SELECT",
    "INSERT",
    "UPDATE (status, reason, attempts, conversation_id, message_id)",
  ],
  broadcast_files: ["SELECT", "INSERT", "UPDATE (name, state, size_bytes, content_type)", "DELETE"],
  // START-2's name word index, kept by the triggers on staff and patients as they are written.
  name_words: ["SELECT", "INSERT", "DELETE"],
  name_vocabulary: ["SELECT", "INSERT", "UPDATE (people)", "DELETE"],
  // Sign-in (SEC-1, SEC-2). A password or TOTP change rewrites the credential, never whose it is.
  // An erased patient's credential goes with them (REC-2).
  auth_credentials: [
    "SELECT",
    "INSERT",
    "DELETE",
    "UPDATE (login_email, password_hash, password_set_at, totp_secret, totp_started_at, totp_enabled, totp_last_step, recovery_code_hashes)",
  ],
  // Sessions are revoked, slid and tidied; a session never changes hands.
  auth_sessions: ["SELECT", "INSERT", "UPDATE (last_seen_at, revoked_at)", "DELETE"],
  portal_invitations: ["SELECT", "INSERT", "UPDATE (used_at)", "DELETE"],
  // A reset link is used once; a newer one replaces the person's unused ones (ACC-1).
  password_resets: ["SELECT", "INSERT", "UPDATE (used_at)", "DELETE"],
  // ADMIN-2: resent (a new token), used or revoked; never moved to another email or clinic.
  staff_invitations: ["SELECT", "INSERT", "UPDATE (token_hash, role, expires_at, used_at, revoked_at)"],
  // Global, keyed by hashes: counted before any clinic is known, pruned once out of the window.
  sign_in_failures: ["SELECT", "INSERT", "DELETE"],
  // INTEG-4: endpoints are registered, switched and deleted (with their events) by admins; an
  // event is recorded, then its attempts are kept. The address and secret never change.
  webhook_endpoints: ["SELECT", "INSERT", "UPDATE (enabled)", "DELETE"],
  webhook_events: [
    "SELECT",
    "INSERT",
    "UPDATE (status, attempts, last_status_code, last_attempt_at, next_attempt_at, held_until)",
    "DELETE",
  ],
  // REC-4: a hold is placed and lifted, never changed.
  legal_holds: ["SELECT", "INSERT", "DELETE"],
  // REC-3: the period is set and cleared by admins; a run keeps its progress and ends.
  retention_policies: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  retention_runs: ["SELECT", "INSERT", "UPDATE (deleted_messages, deleted_files)", "DELETE"],
};

/**
 * The SECURITY DEFINER look-ups the application role may call: the only reads across clinics,
 * for the moments of sign-in when the clinic is not known yet (see migrations 0002 and 0006).
 */
export const appFunctions: readonly string[] = [
  "auth_sign_in_candidates(text, text)",
  "auth_session_by_token_hash(bytea)",
  "auth_invitation_by_token_hash(bytea)",
  "auth_password_reset_by_token_hash(bytea)",
  "auth_staff_invitation_by_token_hash(bytea)",
  // Every request's session check in one statement (migration 0006): it binds itself to the
  // session's clinic before reading or writing anything else.
  "auth_resolve_session(bytea, timestamp with time zone, boolean, interval)",
];

/**
 * Migrates the database as its owner, then creates or updates the application's LOGIN role
 * (NOSUPERUSER, NOBYPASSRLS) and resets its grants to exactly {@link appGrants}. Idempotent:
 * run it at every start.
 */
export async function preparePostgres(options: PrepareOptions): Promise<void> {
  if (!roleName.test(options.appRole))
    throw new Error("the application role name must be a plain identifier");
  const owner = connectPostgres(options.ownerUrl, { max: 1 });
  try {
    await checkOwnerPrerequisites(owner);
    await migrateToLatest(owner);
    await owner.transaction().execute(async (trx) => {
      await resetLoginRole(trx, { role: options.appRole, password: options.appPassword, inherit: true });
      const role = sql.id(options.appRole);
      for (const [table, privileges] of Object.entries(appGrants)) {
        await sql`GRANT ${sql.raw(privileges.join(", "))} ON ${sql.table(table)} TO ${role}`.execute(trx);
      }
      await sql`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM ${role}`.execute(trx);
      for (const signature of appFunctions) {
        await sql`GRANT EXECUTE ON FUNCTION ${sql.raw(signature)} TO ${role}`.execute(trx);
      }
    });
  } finally {
    await owner.destroy();
  }
}
