import type { NotificationQueue, Stores, UnitOfWork } from "@clinic-chat/domain";
import type { BroadcastTurnQueue } from "@clinic-chat/domain/broadcasts";
import type { FilePreviewQueue, FileScanQueue } from "@clinic-chat/domain/files";
import type { ScheduledMessageQueue } from "@clinic-chat/domain/scheduled";
import type { WebhookQueue } from "@clinic-chat/domain/webhooks";
import type { Kysely, Transaction } from "kysely";
import type { RecordKeys } from "../keys/recordKeys";
import { postgresAppointmentStore } from "./appointmentStore";
import { postgresAuditLog } from "./auditLog";
import { postgresBroadcastStore } from "./broadcastStore";
import { postgresClinicStore } from "./clinicStore";
import { transactionStatements } from "./connectPostgres";
import { postgresConversationStore } from "./conversationStore";
import type { Database } from "./Database";
import { postgresDirectory } from "./directory";
import { postgresEmergencyAccessStore } from "./emergencyAccessStore";
import { type EventAppends, type EventJournal, eventJournal, postgresEventLog } from "./eventLog";
import { postgresFileStore } from "./fileStore";
import { postgresInboxStore } from "./inboxStore";
import { postgresIntegrationStore } from "./integrationStore";
import { postgresMessageStore } from "./messageStore";
import { postgresNotificationStore } from "./notificationStore";
import { postgresRecordsStore } from "./recordsStore";
import type { Statements } from "./Statements";
import { postgresSearchIndex } from "./searchIndexStore";
import type { SearchReading } from "./searchQueries";
import { postgresScheduledMessageStore, postgresTemplateStore } from "./templateStore";
import { postgresWebhookStore } from "./webhookStore";

/**
 * Word-similarity threshold of name search (START-2). Low enough that one typo in a short name
 * still matches (`smoth` ~ `smith` scores 0.33); results are ranked, so loose matches come last.
 */
export const nameSearchThreshold = 0.3;

/**
 * Runs `work` in one transaction whose first statement binds it to `clinicId`: the RLS policies
 * of every tenant table read that setting, so nothing of another clinic is visible or writable
 * (SEC-4). The setting is transaction-local and ends with the transaction.
 *
 * The work gets the transaction, its {@link Statements} and its {@link EventJournal}, whose events
 * are written last, with the COMMIT. BEGIN and the setting go with the work's first statement, in
 * the same write: the server still runs them first, in order, and if either fails so does that
 * statement. A use case that reads once thus costs two round trips. `live` is told the newest id
 * of the events written.
 */
export function withClinic<T>(
  db: Kysely<Database>,
  clinicId: string,
  work: (trx: Transaction<Database>, statements: Statements, journal: EventJournal) => Promise<T>,
  live?: EventAppends,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const statements = transactionStatements(trx);
    await statements.write(bindToClinic, [clinicId, String(nameSearchThreshold)]);
    const journal = eventJournal(statements, live);
    const result = await work(trx, statements, journal);
    await journal.writeAll();
    return result;
  });
}

/** The clinic of the transaction; the name search threshold rides along in the same statement. */
const bindToClinic = `select set_config('app.clinic_id', $1, true), set_config('pg_trgm.word_similarity_threshold', $2, true)`;

/** Options of {@link createPostgresUnitOfWork}. */
export interface PostgresUnitOfWorkOptions {
  /** The notification queue bound to the unit of work's transaction (pg-boss sends through it). */
  readonly notificationQueue: (statements: Statements) => NotificationQueue;
  /**
   * The malware scan queue bound to the transaction (FILE-6). Without it, scheduling a scan fails
   * the unit of work: only a product running without a scanner may leave it out.
   */
  readonly fileScans?: (statements: Statements) => FileScanQueue;
  /**
   * The webhook delivery queue bound to the transaction (INTEG-4). Without it, a change in a
   * clinic with an enabled endpoint fails: only tools that never reach webhooks may leave it out.
   */
  readonly webhookQueue?: (statements: Statements) => WebhookQueue;
  /**
   * The queue that hands scheduled messages to a worker at their time (SCHED-1). Without it,
   * scheduling a message fails the unit of work.
   */
  readonly scheduledQueue?: (statements: Statements) => ScheduledMessageQueue;
  /**
   * The queue of broadcast turns bound to the transaction (BCAST-1). Without it, scheduling a
   * turn fails the unit of work: only a product that sends no broadcasts may leave it out.
   */
  readonly broadcastTurns?: (statements: Statements) => BroadcastTurnQueue;
  /** The preview queue bound to the transaction (FILE-7). Without it, images get no renditions. */
  readonly filePreviews?: (statements: Statements) => FilePreviewQueue;
  /**
   * The clinics' keys that seal message text and file names (REC-1). Without them, records are
   * written as they are: only the benchmark's same-run baseline and tools leave them out.
   */
  readonly recordKeys?: RecordKeys;
  /** How message search reads (SRCH-1); tests shorten its walk to reach the word index. */
  readonly searchReading?: SearchReading;
}

const noWebhookQueue: WebhookQueue = {
  async schedule() {
    throw new Error("no webhook delivery queue is configured");
  },
};

const noBroadcastTurns: BroadcastTurnQueue = {
  async schedule() {
    throw new Error("no broadcast queue is configured");
  },
};

// Without a preview queue, images are shared without renditions and show as file cards (FILE-7).
const noFilePreviews: FilePreviewQueue = { async schedule() {} };

const noFileScans: FileScanQueue = {
  async schedule() {
    throw new Error("no malware scan queue is configured");
  },
};

const noScheduledQueue: ScheduledMessageQueue = {
  async schedule() {
    throw new Error("no scheduled message queue is configured");
  },
};

/**
 * The domain's stores, all bound to one transaction and one clinic; the event log and the message
 * store's posts keep their events in `journal`.
 */
export function postgresStores(
  trx: Transaction<Database>,
  statements: Statements,
  clinicId: string,
  options: PostgresUnitOfWorkOptions,
  journal: EventJournal,
): Stores {
  // Each store is made when the use case first reaches for it: most use only two or three.
  const made: Partial<Record<keyof Stores, Stores[keyof Stores]>> = {};
  const store = <K extends keyof Stores>(key: K, make: () => Stores[K]): Stores[K] => {
    made[key] ??= make();
    return made[key] as Stores[K];
  };
  return {
    get clinics() {
      return store("clinics", () => postgresClinicStore(trx, clinicId));
    },
    get directory() {
      return store("directory", () => postgresDirectory(statements, clinicId));
    },
    get conversations() {
      return store("conversations", () =>
        postgresConversationStore(statements, clinicId, options.recordKeys),
      );
    },
    get messages() {
      return store("messages", () => postgresMessageStore(statements, clinicId, journal, options.recordKeys));
    },
    get files() {
      return store("files", () => postgresFileStore(statements, clinicId, options.recordKeys));
    },
    get events() {
      return store("events", () => postgresEventLog(statements, clinicId, journal));
    },
    get audit() {
      return store("audit", () => postgresAuditLog(statements, clinicId, options.recordKeys));
    },
    get notifications() {
      return store("notifications", () => postgresNotificationStore(statements, clinicId));
    },
    get notificationQueue() {
      return store("notificationQueue", () => options.notificationQueue(statements));
    },
    get fileScans() {
      return store("fileScans", () => options.fileScans?.(statements) ?? noFileScans);
    },
    get filePreviews() {
      return store("filePreviews", () => options.filePreviews?.(statements) ?? noFilePreviews);
    },
    get appointments() {
      return store("appointments", () => postgresAppointmentStore(trx, clinicId));
    },
    get inbox() {
      return store("inbox", () => postgresInboxStore(statements, clinicId, options.recordKeys));
    },
    get webhooks() {
      return store("webhooks", () => postgresWebhookStore(statements, clinicId));
    },
    get webhookQueue() {
      return store("webhookQueue", () => options.webhookQueue?.(statements) ?? noWebhookQueue);
    },
    get templates() {
      return store("templates", () => postgresTemplateStore(trx, clinicId, options.recordKeys));
    },
    get scheduledMessages() {
      return store("scheduledMessages", () =>
        postgresScheduledMessageStore(trx, clinicId, options.recordKeys),
      );
    },
    get scheduledQueue() {
      return store("scheduledQueue", () => options.scheduledQueue?.(statements) ?? noScheduledQueue);
    },
    get integration() {
      return store("integration", () => postgresIntegrationStore(trx, clinicId));
    },
    get broadcasts() {
      return store("broadcasts", () => postgresBroadcastStore(statements, clinicId, options.recordKeys));
    },
    get broadcastTurns() {
      return store("broadcastTurns", () => options.broadcastTurns?.(statements) ?? noBroadcastTurns);
    },
    get records() {
      return store("records", () => postgresRecordsStore(trx, clinicId, options.recordKeys));
    },
    get emergencyAccess() {
      return store("emergencyAccess", () => postgresEmergencyAccessStore(statements, clinicId));
    },
    get search() {
      return store("search", () =>
        postgresSearchIndex(statements, clinicId, options.recordKeys, options.searchReading),
      );
    },
  };
}

/** The domain's UnitOfWork on PostgreSQL: one transaction per use case, bound to its clinic. */
export function createPostgresUnitOfWork(
  db: Kysely<Database>,
  options: PostgresUnitOfWorkOptions,
): UnitOfWork {
  return {
    run: (clinicId, work) =>
      withClinic(db, clinicId, (trx, statements, journal) =>
        work(postgresStores(trx, statements, clinicId, options, journal)),
      ),
  };
}
