import type { AppointmentStore } from "../appointments/Appointment";
import type { AuditLog } from "../audit/AuditLog";
import type { BroadcastStore, BroadcastTurnQueue } from "../broadcasts/ports";
import type { ConversationStore, EventLog, MessageStore } from "../chat/ports";
import type { ClinicStore } from "../clinic/ClinicStore";
import type { EmergencyAccessStore } from "../emergency/EmergencyAccess";
import type { FileScanQueue, FileStore } from "../files/ports";
import type { FilePreviewQueue } from "../files/previews";
import type { InboxStore } from "../inbox/ports";
import type { IntegrationStore } from "../integration/ports";
import type { NotificationQueue, NotificationStore } from "../notifications/ports";
import type { Directory } from "../people/Directory";
import type { RecordsStore } from "../records/ports";
import type { ScheduledMessageQueue, ScheduledMessageStore } from "../scheduled/ScheduledMessage";
import type { SearchIndex } from "../search/ports";
import type { TemplateStore } from "../templates/Template";
import type { WebhookQueue, WebhookStore } from "../webhooks/ports";

/** The stores of one unit of work, all bound to one clinic and one transaction. */
export interface Stores {
  readonly clinics: ClinicStore;
  readonly directory: Directory;
  readonly conversations: ConversationStore;
  readonly messages: MessageStore;
  readonly files: FileStore;
  readonly events: EventLog;
  readonly audit: AuditLog;
  readonly notifications: NotificationStore;
  readonly notificationQueue: NotificationQueue;
  readonly fileScans: FileScanQueue;
  readonly filePreviews: FilePreviewQueue;
  readonly appointments: AppointmentStore;
  readonly inbox: InboxStore;
  /** INTEG-4: the clinic's webhook endpoints and the events waiting for them. */
  readonly webhooks: WebhookStore;
  readonly webhookQueue: WebhookQueue;
  readonly templates: TemplateStore;
  readonly scheduledMessages: ScheduledMessageStore;
  readonly scheduledQueue: ScheduledMessageQueue;
  readonly integration: IntegrationStore;
  readonly broadcasts: BroadcastStore;
  readonly broadcastTurns: BroadcastTurnQueue;
  /** REC-3, REC-4: legal holds and the retention period. */
  readonly records: RecordsStore;
  /** REC-7: admins' emergency grants, with their reasons. */
  readonly emergencyAccess: EmergencyAccessStore;
  /** SRCH-1: the keyed word index of the clinic's messages. */
  readonly search: SearchIndex;
}

/**
 * Runs work in one transaction bound to one clinic: everything it writes commits together or not
 * at all, and nothing of another clinic can be read or written through these stores (SEC-4).
 */
export interface UnitOfWork {
  run<T>(clinicId: string, work: (stores: Stores) => Promise<T>): Promise<T>;
}
