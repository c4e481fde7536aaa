import type { LegalHold, RecordsStore } from "@clinic-chat/domain/records";
import type { Selectable, Transaction } from "kysely";
import type { RecordKeys } from "../keys/recordKeys";
import { transactionStatements } from "./connectPostgres";
import { toConversation } from "./conversationFacts";
import type { Database } from "./Database";
import { sealOf, toMessage } from "./messageStore";
import type { LegalHoldsTable } from "./recordsTables";

function toHold(row: Selectable<LegalHoldsTable>): LegalHold {
  return {
    clinicId: row.clinic_id,
    patientId: row.patient_id,
    reason: row.reason,
    placedBy: row.placed_by,
    placedAt: row.placed_at,
  };
}

/** Legal holds (REC-4) and the retention period with its run (REC-3) of the unit of work's clinic. */
export function postgresRecordsStore(
  trx: Transaction<Database>,
  clinicId: string,
  keys?: RecordKeys,
): RecordsStore {
  const holds = () => trx.selectFrom("legal_holds").selectAll().where("clinic_id", "=", clinicId);
  return {
    async hold(patientId) {
      const row = await holds().where("patient_id", "=", patientId).executeTakeFirst();
      return row ? toHold(row) : null;
    },
    async holds() {
      return (await holds().orderBy("placed_at", "desc").orderBy("patient_id").execute()).map(toHold);
    },
    async placeHold(hold) {
      await trx
        .insertInto("legal_holds")
        .values({
          clinic_id: clinicId,
          patient_id: hold.patientId,
          reason: hold.reason,
          placed_by: hold.placedBy,
          placed_at: hold.placedAt,
        })
        .execute();
    },
    async liftHold(patientId) {
      await trx
        .deleteFrom("legal_holds")
        .where("clinic_id", "=", clinicId)
        .where("patient_id", "=", patientId)
        .execute();
    },
    async retention() {
      const row = await trx
        .selectFrom("retention_policies")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .executeTakeFirst();
      return row
        ? { period: { amount: row.amount, unit: row.unit }, setBy: row.set_by, setAt: row.set_at }
        : null;
    },
    async saveRetention(policy) {
      if (!policy) {
        await trx.deleteFrom("retention_policies").where("clinic_id", "=", clinicId).execute();
        return;
      }
      const values = {
        amount: policy.period.amount,
        unit: policy.period.unit,
        set_by: policy.setBy,
        set_at: policy.setAt,
      };
      await trx
        .insertInto("retention_policies")
        .values({ clinic_id: clinicId, ...values })
        .onConflict((c) => c.column("clinic_id").doUpdateSet(values))
        .execute();
    },
    async patientConversations(patientId) {
      const rows = await trx
        .selectFrom("conversations")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("patient_id", "=", patientId)
        .orderBy("id")
        .execute();
      return rows.map(toConversation);
    },
    async retentionRun() {
      const row = await trx
        .selectFrom("retention_runs")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .executeTakeFirst();
      return row
        ? {
            startedAt: row.started_at,
            cutoff: row.cutoff,
            deletedMessages: row.deleted_messages,
            deletedFiles: row.deleted_files,
          }
        : null;
    },
    async saveRetentionRun(run) {
      if (!run) {
        await trx.deleteFrom("retention_runs").where("clinic_id", "=", clinicId).execute();
        return;
      }
      // Nobody waits for it: a run's progress goes out with the part's COMMIT.
      const save = trx
        .insertInto("retention_runs")
        .values({
          clinic_id: clinicId,
          started_at: run.startedAt,
          cutoff: run.cutoff,
          deleted_messages: run.deletedMessages,
          deleted_files: run.deletedFiles,
        })
        .onConflict((c) =>
          c.column("clinic_id").doUpdateSet({
            deleted_messages: run.deletedMessages,
            deleted_files: run.deletedFiles,
          }),
        )
        .compile();
      await transactionStatements(trx).write(save.sql, save.parameters);
    },
    async expiredMessages(cutoff, limit) {
      const query = trx
        .selectFrom("messages as m")
        .selectAll("m")
        .select((eb) =>
          eb
            .selectFrom("message_keys as k")
            .select("k.wrapped")
            .whereRef("k.clinic_id", "=", "m.clinic_id")
            .whereRef("k.message_id", "=", "m.id")
            .as("data_key"),
        )
        .where("m.clinic_id", "=", clinicId)
        .where("m.body_kind", "<>", "deleted")
        .where("m.sent_at", "<", cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("conversations as c")
                .innerJoin("legal_holds as h", (join) =>
                  join.onRef("h.clinic_id", "=", "c.clinic_id").onRef("h.patient_id", "=", "c.patient_id"),
                )
                .select("c.id")
                .where("c.clinic_id", "=", clinicId)
                .whereRef("c.id", "=", "m.conversation_id"),
            ),
          ),
        )
        .orderBy("m.sent_at")
        .orderBy("m.id")
        .limit(limit)
        .execute();
      const [rows, seal] = await Promise.all([query, sealOf(keys, clinicId, trx)]);
      return rows.map((row) => toMessage(row, seal));
    },
  };
}
