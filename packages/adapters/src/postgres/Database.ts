import type { ColumnType, GeneratedAlways } from "kysely";
import type {
  AuthCredentialsTable,
  AuthSessionsTable,
  PasswordResetsTable,
  PortalInvitationsTable,
  SignInFailuresTable,
  StaffInvitationsTable,
} from "./authTables";
import type { BroadcastFilesTable, BroadcastRecipientsTable, BroadcastsTable } from "./broadcastTables";
import type {
  ConversationEventsTable,
  ConversationParticipantsTable,
  ConversationsTable,
  ConversationTimelineTable,
  MessagesTable,
} from "./chatTables";
import type { FileRefusalsTable, FilesTable } from "./fileTables";
import type { ApiCredentialsTable } from "./integrationTables";
import type { ClinicKeysTable, FileKeysTable, MessageKeysTable, RecordKeysTable } from "./keyTables";
import type {
  NotificationBurstMessagesTable,
  NotificationDeliveriesTable,
  NotificationStatesTable,
} from "./notificationTables";
import type { AppointmentsTable, ClinicsTable, PatientsTable, StaffTable } from "./peopleTables";
import type { LegalHoldsTable, RetentionPoliciesTable, RetentionRunsTable } from "./recordsTables";
import type { MessageTemplatesTable, ScheduledMessagesTable } from "./templateTables";
import type { WebhookEndpointsTable, WebhookEventsTable } from "./webhookTables";

/** `staff` or `patient`: the kind half of a stored person reference. */
export type PersonKind = "staff" | "patient";

/** A bigint column: postgres.js reads int8 as a string (it may exceed 2^53); numbers go in. */
export type Int8 = ColumnType<string, number | string, number | string>;

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
export type {
  ConversationEventsTable,
  ConversationParticipantsTable,
  ConversationsTable,
  ConversationTimelineTable,
  MessagesTable,
} from "./chatTables";
export type { FileRefusalsTable, FilesTable } from "./fileTables";
export type {
  NotificationBurstMessagesTable,
  NotificationDeliveriesTable,
  NotificationStatesTable,
} from "./notificationTables";
export type { AppointmentsTable, ClinicsTable, PatientsTable, StaffTable } from "./peopleTables";

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
