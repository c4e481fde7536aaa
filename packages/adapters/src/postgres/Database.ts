import type { OfficeHours } from "@clinic-chat/domain/hours";
import type { ColumnType, Generated, GeneratedAlways } from "kysely";
import type {
  AuthCredentialsTable,
  AuthSessionsTable,
  PasswordResetsTable,
  PortalInvitationsTable,
  SignInFailuresTable,
  StaffInvitationsTable,
} from "./authTables";
import type { BroadcastFilesTable, BroadcastRecipientsTable, BroadcastsTable } from "./broadcastTables";
import type { ApiCredentialsTable } from "./integrationTables";
import type { ClinicKeysTable, FileKeysTable, MessageKeysTable, RecordKeysTable } from "./keyTables";
import type { LegalHoldsTable, RetentionPoliciesTable, RetentionRunsTable } from "./recordsTables";
import type { MessageTemplatesTable, ScheduledMessagesTable } from "./templateTables";
import type { WebhookEndpointsTable, WebhookEventsTable } from "./webhookTables";

/** `staff` or `patient`: the kind half of a stored person reference. */
export type PersonKind = "staff" | "patient";

/** A bigint column: postgres.js reads int8 as a string (it may exceed 2^53); numbers go in. */
export type Int8 = ColumnType<string, number | string, number | string>;

/** The tenant: one row per clinic, its plan and its settings (RLS keyed on `id`). */
export interface ClinicsTable {
  id: string;
  name: string;
  plan: "starter" | "enhanced" | "premium";
  patient_chat_enabled: boolean;
  patient_file_sharing_enabled: boolean;
  patient_messaging_enabled: boolean;
  team_chat_enabled: boolean;
  sms_notifications_enabled: boolean;
  idle_timeout_minutes: number;
  notification_delay_seconds: number;
  created_at: Generated<Date>;
  time_zone: Generated<string>;
  /** Clinic Settings › Office hours as the domain keeps them (HOURS-1); null until kept. */
  office_hours: ColumnType<OfficeHours | null, string | null, string | null>;
  /** INTEG-4: an enabled webhook endpoint waits for the clinic's events. */
  webhooks_active: Generated<boolean>;
}

/** Staff members; `search_name` is the normalised name the trigram index covers. */
export interface StaffTable {
  clinic_id: string;
  id: string;
  name: string;
  search_name: GeneratedAlways<string>;
  email: string;
  role: "admin" | "practitioner" | "staff";
  active: boolean;
  available_for_patient_chat: boolean;
  email_notifications: boolean;
  host_id: Generated<string | null>;
}

/** Patients with their Patient Portal account state (their sign-in is in `auth_credentials`). */
export interface PatientsTable {
  clinic_id: string;
  id: string;
  name: string;
  search_name: GeneratedAlways<string>;
  email: string | null;
  mobile_phone: string | null;
  sms_consent: boolean;
  portal_account: "none" | "invited" | "active" | "disabled";
  /** Written as an ISO date (YYYY-MM-DD); the driver reads a `date` back as a Date at UTC midnight. */
  date_of_birth: ColumnType<Date | string | null, string | null, string | null>;
  host_id: string | null;
}

/** Appointments, enough for the appointment list and Appointment Details. */
export interface AppointmentsTable {
  clinic_id: string;
  id: string;
  patient_id: string;
  practitioner_id: string;
  starts_at: Date;
  ends_at: Date;
  status: "scheduled" | "cancelled" | "completed";
  host_id: Generated<string | null>;
}

/** Conversations; `last_seq` is the last message number taken (a post takes `last_seq + 1`). */
export interface ConversationsTable {
  clinic_id: string;
  id: string;
  kind: "patient" | "team";
  patient_id: string | null;
  key: string;
  created_at: Date;
  last_activity_at: Date;
  last_seq: number;
  /** INBOX-1: the inbox state of a patient conversation. */
  inbox_status: Generated<"open" | "closed">;
  assignee_id: string | null;
  last_sender_kind: PersonKind | null;
  last_auto_reply_at: Date | null;
  /** A Team Chat's name; null: titled by its participants. */
  name: Generated<string | null>;
}

/**
 * Membership and read state. `last_activity_at` copies the conversation's so a person's list is
 * read in order straight from one index (MSG-3).
 */
export interface ConversationParticipantsTable {
  clinic_id: string;
  conversation_id: string;
  person_kind: PersonKind;
  person_id: string;
  staff_id: GeneratedAlways<string | null>;
  patient_id: GeneratedAlways<string | null>;
  added_at: Date;
  read_up_to_seq: Generated<number>;
  last_activity_at: Date;
  /** INBOX-3: the participant marked the conversation unread for themselves. */
  marked_unread: Generated<boolean>;
  /** BCAST-1: out of the participant's list and inbox until someone else writes or they open it. */
  quiet: Generated<boolean>;
  /**
   * INBOX-1: the conversation's inbox state, copied by a trigger (migration 0038); the status is
   * null unless it is a patient conversation someone wrote in.
   */
  inbox_status: Generated<"open" | "closed" | null>;
  inbox_assignee_id: Generated<string | null>;
  inbox_last_sender_kind: Generated<PersonKind | null>;
  /** The copy awaits the conversation's next change: until then its readers take the conversation's state. */
  inbox_stale: Generated<boolean>;
}

/** The timeline of a patient conversation (INBOX-2, HOURS-3): ids and times only. */
export interface ConversationTimelineTable {
  clinic_id: string;
  id: string;
  conversation_id: string;
  kind:
    | "claimed"
    | "assigned"
    | "unassigned"
    | "closed"
    | "reopened"
    | "participant_added"
    | "auto_reply"
    | "renamed";
  actor_kind: PersonKind | null;
  actor_id: string | null;
  subject_staff_id: string | null;
  after_seq: number;
  at: Date;
  next_opening_at: Date | null;
}

/** Messages; a deleted one keeps only the facts of its deletion (DEL-2, DEL-3). */
export interface MessagesTable {
  clinic_id: string;
  id: string;
  conversation_id: string;
  seq: number;
  client_id: string;
  sender_kind: PersonKind;
  sender_id: string;
  sent_at: Date;
  body_kind: "text" | "file" | "deleted";
  text: string | null;
  file_id: string | null;
  deleted_at: Date | null;
  deleted_by_kind: PersonKind | null;
  deleted_by_id: string | null;
}

/** File metadata and upload state; the bytes live in object storage under `storage_key`. */
export interface FilesTable {
  clinic_id: string;
  id: string;
  conversation_id: string;
  uploader_kind: PersonKind;
  uploader_id: string;
  client_id: string;
  name: string;
  size_bytes: Int8;
  content_type: string;
  storage_key: string;
  state: "pending" | "checking" | "ready";
  created_at: Date;
  /** FILE-7: null until an image's renditions are made; `failed` when it could not be read. */
  preview_state: Generated<"ready" | "failed" | null>;
  preview_width: Generated<number | null>;
  preview_height: Generated<number | null>;
}

/** Why a file was refused after its upload, for its sender (FILE-6): ids and a reason only. */
export interface FileRefusalsTable {
  clinic_id: string;
  file_id: string;
  conversation_id: string;
  uploader_kind: PersonKind;
  uploader_id: string;
  reason: string;
  refused_at: Date;
}

/** Each recipient's notification state (NOTIF-1); the row is the per-recipient lock. */
export interface NotificationStatesTable {
  clinic_id: string;
  person_kind: PersonKind;
  person_id: string;
  status: "idle" | "pending";
  burst_id: string | null;
  due_at: Date | null;
}

/** The messages a recipient's pending burst is about, one row each (ids only, no PHI). */
export interface NotificationBurstMessagesTable {
  clinic_id: string;
  person_kind: PersonKind;
  person_id: string;
  burst_id: string;
  message_id: string;
  conversation_id: string;
  seq: number;
}

/** The delivery outbox (NOTIF-5). */
export interface NotificationDeliveriesTable {
  clinic_id: string;
  id: string;
  burst_id: string;
  person_kind: PersonKind;
  person_id: string;
  channel: "email" | "sms";
  to_address: string;
  payload: { subject: string; text: string; clinicName: string; link: string };
  created_at: Date;
  delivered_at: Date | null;
}

/** The ordered event log (MSG-2); `id` is the replay cursor. */
export interface ConversationEventsTable {
  id: GeneratedAlways<string>;
  clinic_id: string;
  conversation_id: string | null;
  type: string;
  message_id: string | null;
  person_kind: PersonKind | null;
  person_id: string | null;
  seq: number | null;
  at: Date;
}

/** The append-only audit trail (SEC-3): ids and facts, never content. */
export interface AuditLogTable {
  id: GeneratedAlways<string>;
  clinic_id: string;
  actor_kind: PersonKind | null;
  actor_id: string | null;
  action: string;
  conversation_id: string | null;
  message_id: string | null;
  file_id: string | null;
  subject_kind: PersonKind | null;
  subject_id: string | null;
  reason: string | null;
  at: Date;
  ip: string | null;
  outcome: "success" | "denied" | "failure";
  credential_id: string | null;
  broadcast_id: string | null;
}

export type { StaffInvitationsTable } from "./authTables";

/** The application's tables as kysely sees them; they never leave the adapter. */
export interface Database {
  clinics: ClinicsTable;
  staff: StaffTable;
  patients: PatientsTable;
  appointments: AppointmentsTable;
  conversations: ConversationsTable;
  conversation_participants: ConversationParticipantsTable;
  conversation_timeline: ConversationTimelineTable;
  messages: MessagesTable;
  files: FilesTable;
  file_refusals: FileRefusalsTable;
  notification_states: NotificationStatesTable;
  notification_burst_messages: NotificationBurstMessagesTable;
  notification_deliveries: NotificationDeliveriesTable;
  conversation_events: ConversationEventsTable;
  audit_log: AuditLogTable;
  broadcasts: BroadcastsTable;
  broadcast_recipients: BroadcastRecipientsTable;
  broadcast_files: BroadcastFilesTable;
  auth_credentials: AuthCredentialsTable;
  auth_sessions: AuthSessionsTable;
  portal_invitations: PortalInvitationsTable;
  password_resets: PasswordResetsTable;
  staff_invitations: StaffInvitationsTable;
  sign_in_failures: SignInFailuresTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  message_templates: MessageTemplatesTable;
  scheduled_messages: ScheduledMessagesTable;
  api_credentials: ApiCredentialsTable;
  legal_holds: LegalHoldsTable;
  retention_policies: RetentionPoliciesTable;
  retention_runs: RetentionRunsTable;
  clinic_keys: ClinicKeysTable;
  message_keys: MessageKeysTable;
  file_keys: FileKeysTable;
  record_keys: RecordKeysTable;
}
