import type { Appointment } from "../../appointments/Appointment";
import type { StoredAuditEvent } from "../../audit/AuditEvent";
import type { Conversation, Participant } from "../../chat/Conversation";
import type { ConversationEvent } from "../../chat/ConversationEvent";
import type { Message } from "../../chat/Message";
import type { Clinic } from "../../clinic/Clinic";
import type { EmergencyGrant } from "../../emergency/EmergencyAccess";
import type { FileRefusal, FileScan } from "../../files/ports";
import type { FilePreviewJob } from "../../files/previews";
import type { StoredFile } from "../../files/StoredFile";
import type { InboxState } from "../../inbox/InboxState";
import type { TimelineEntry } from "../../inbox/Timeline";
import type { ApiCredential } from "../../integration/ports";
import type {
  NotificationDelivery,
  NotificationState,
  NotificationTimer,
  PendingMessage,
} from "../../notifications/model";
import type { Person } from "../../people/Person";
import { type Patient, type PersonRef, personKey, type StaffMember } from "../../people/people";
import type { ScheduledDue, ScheduledMessage } from "../../scheduled/ScheduledMessage";
import type { Template } from "../../templates/Template";
import { type BroadcastTables, emptyBroadcastTables } from "./broadcasts";
import { emptyRecordsTables, type RecordsTables } from "./records";
import type { InMemorySearchEntry } from "./search";
import type { InMemoryWebhookDelivery, InMemoryWebhookEndpoint } from "./webhooks";

/** Everything the in-memory ports hold, across clinics. Cloned per unit of work, so a failed one leaves no trace. */
export interface World {
  clinics: Map<string, Clinic>;
  staff: Map<string, StaffMember>;
  patients: Map<string, Patient>;
  conversations: Map<string, Conversation>;
  participants: Map<string, Participant[]>;
  /** Quiet memberships (BCAST-1), as `conversationId|personKey`. */
  quietMembers: Map<string, true>;
  messages: Map<string, Message>;
  files: Map<string, StoredFile>;
  fileRefusals: Map<string, FileRefusal>;
  /** Files waiting for their malware scan, by id, in the order they were scheduled (FILE-6). */
  fileScans: FileScan[];
  filePreviews: FilePreviewJob[];
  events: ConversationEvent[];
  nextEventId: number;
  audit: StoredAuditEvent[];
  nextAuditId: number;
  notificationStates: Map<string, NotificationState>;
  /** The messages of each recipient's burst, by state key, then by message id. */
  burstMessages: Map<string, Map<string, PendingMessage & { burstId: string }>>;
  deliveries: Map<string, NotificationDelivery>;
  timers: { timer: NotificationTimer; runAt: Date }[];
  appointments: Map<string, Appointment>;
  /** Inbox states of patient conversations, by conversation id (INBOX-1). */
  inbox: Map<string, InboxState>;
  timeline: (TimelineEntry & { clinicId: string })[];
  /** "conversationId|kind:id" of each participant who marked a conversation unread (INBOX-3). */
  markedUnread: Map<string, true>;
  /** INTEG-4: webhook endpoints by id, the events recorded for them, and the delivery jobs asked for. */
  webhookEndpoints: Map<string, InMemoryWebhookEndpoint>;
  webhookDeliveries: InMemoryWebhookDelivery[];
  nextWebhookPosition: number;
  webhookJobs: { clinicId: string; conversationId: string; runAt: Date | null }[];
  templates: Map<string, Template>;
  scheduled: Map<string, ScheduledMessage>;
  /** Scheduled messages handed to the queue, with their time, in the order they were (SCHED-1). */
  scheduledDue: ScheduledDue[];
  /** API credentials by id (INTEG-1). */
  apiCredentials: Map<string, ApiCredential>;
  /** Each credential's minute of calls being counted (INTEG-1). */
  hostCallWindows: Map<string, { start: number; calls: number }>;
  /** Broadcasts, their recipients, files and waiting turns (BCAST-1). */
  broadcasts: BroadcastTables;
  /** Legal holds and retention (REC-3, REC-4). */
  records: RecordsTables;
  /** Emergency access grants, in the order they were made (REC-7). */
  emergencyGrants: EmergencyGrant[];
  /** The message search index (SRCH-1), by message id; terms kept as given (a double holds no keys). */
  searchIndex: Map<string, InMemorySearchEntry>;
}

export function emptyWorld(): World {
  return {
    clinics: new Map(),
    staff: new Map(),
    patients: new Map(),
    conversations: new Map(),
    participants: new Map(),
    quietMembers: new Map(),
    messages: new Map(),
    files: new Map(),
    fileRefusals: new Map(),
    fileScans: [],
    filePreviews: [],
    events: [],
    nextEventId: 1,
    audit: [],
    nextAuditId: 1,
    notificationStates: new Map(),
    burstMessages: new Map(),
    deliveries: new Map(),
    timers: [],
    appointments: new Map(),
    inbox: new Map(),
    timeline: [],
    markedUnread: new Map(),
    webhookEndpoints: new Map(),
    webhookDeliveries: [],
    nextWebhookPosition: 1,
    webhookJobs: [],
    templates: new Map(),
    scheduled: new Map(),
    scheduledDue: [],
    apiCredentials: new Map(),
    hostCallWindows: new Map(),
    broadcasts: emptyBroadcastTables(),
    records: emptyRecordsTables(),
    emergencyGrants: [],
    searchIndex: new Map(),
  };
}

/** One clinic's view of the world: what a unit of work bound to `clinicId` may see. */
export interface ClinicView {
  readonly world: World;
  readonly clinicId: string;
  /** The row when it is of the clinic, else null. */
  inClinic<T extends { clinicId: string }>(row: T | undefined): T | null;
}

/** The view of `world` from a unit of work bound to `clinicId`. */
export function clinicView(world: World, clinicId: string): ClinicView {
  return {
    world,
    clinicId,
    inClinic: (row) => (row && row.clinicId === clinicId ? row : null),
  };
}

/** What the clinic's directory says of a person; null when they are not in it. */
export function personFacts(view: ClinicView, ref: PersonRef): Person | null {
  const staff = ref.kind === "staff" ? view.inClinic(view.world.staff.get(ref.id)) : null;
  if (staff) return { kind: "staff", staff };
  const patient = ref.kind === "patient" ? view.inClinic(view.world.patients.get(ref.id)) : null;
  return patient ? { kind: "patient", patient } : null;
}

/** The key of a recipient's notification state. */
export function stateKey(view: ClinicView, person: PersonRef): string {
  return `${view.clinicId}|${personKey(person)}`;
}

/** The batch ports take one item per conversation: a second one is a programming error. */
export function distinctConversations(ids: readonly string[]): void {
  if (new Set(ids).size !== ids.length) throw new Error("two posts into one conversation in one batch");
}
