import type { NotificationQueue, Stores, UnitOfWork } from "@clinic-chat/domain";
import { type Kysely, sql, type Transaction } from "kysely";
import { postgresAppointmentStore } from "./appointmentStore";
import { postgresAuditLog } from "./auditLog";
import { postgresClinicStore } from "./clinicStore";
import { postgresConversationStore } from "./conversationStore";
import type { Database } from "./Database";
import { postgresDirectory } from "./directory";
import { postgresEventLog } from "./eventLog";
import { postgresFileStore } from "./fileStore";
import { postgresMessageStore } from "./messageStore";
import { postgresNotificationStore } from "./notificationStore";

/**
 * Word-similarity threshold of name search (START-2). Low enough that one typo in a short name
 * still matches (`smoth` ~ `smith` scores 0.33); results are ranked, so loose matches come last.
 */
export const nameSearchThreshold = 0.3;

/**
 * Runs `work` in one transaction whose first statement binds it to `clinicId`: the RLS policies
 * of every tenant table read that setting, so nothing of another clinic is visible or writable
 * (SEC-4). The setting is transaction-local and ends with the transaction.
 */
export function withClinic<T>(
  db: Kysely<Database>,
  clinicId: string,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    // The search threshold rides along in the same round trip.
    await sql`select set_config('app.clinic_id', ${clinicId}, true),
      set_config('pg_trgm.word_similarity_threshold', ${String(nameSearchThreshold)}, true)`.execute(trx);
    return work(trx);
  });
}

/** Options of {@link createPostgresUnitOfWork}. */
export interface PostgresUnitOfWorkOptions {
  /** The notification queue bound to the unit of work's transaction (pg-boss sends through it). */
  readonly notificationQueue: (trx: Transaction<Database>) => NotificationQueue;
}

/** The domain's stores, all bound to one transaction and one clinic. */
export function postgresStores(
  trx: Transaction<Database>,
  clinicId: string,
  options: PostgresUnitOfWorkOptions,
): Stores {
  return {
    clinics: postgresClinicStore(trx, clinicId),
    directory: postgresDirectory(trx, clinicId),
    conversations: postgresConversationStore(trx, clinicId),
    messages: postgresMessageStore(trx, clinicId),
    files: postgresFileStore(trx, clinicId),
    events: postgresEventLog(trx, clinicId),
    audit: postgresAuditLog(trx, clinicId),
    notifications: postgresNotificationStore(trx, clinicId),
    notificationQueue: options.notificationQueue(trx),
    appointments: postgresAppointmentStore(trx, clinicId),
  };
}

/** The domain's UnitOfWork on PostgreSQL: one transaction per use case, bound to its clinic. */
export function createPostgresUnitOfWork(
  db: Kysely<Database>,
  options: PostgresUnitOfWorkOptions,
): UnitOfWork {
  return {
    run: (clinicId, work) => withClinic(db, clinicId, (trx) => work(postgresStores(trx, clinicId, options))),
  };
}
