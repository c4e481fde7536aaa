import type { ConversationEvent, ConversationEventType, EventLog } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import type { Database } from "./Database";
import { optionalPersonOf } from "./people";

/**
 * The clinic's event log (MSG-2), numbered by a bigint identity. `after` reads what is committed
 * in its snapshot; an id taken by a transaction that commits later than a higher one is not
 * handled here yet (live readers need that; see the report of issue 4).
 */
export function postgresEventLog(db: Kysely<Database>, clinicId: string): EventLog {
  return {
    async append(events) {
      if (events.length === 0) return;
      await db
        .insertInto("conversation_events")
        .values(
          events.map((event) => ({
            clinic_id: event.clinicId,
            conversation_id: event.conversationId,
            type: event.type,
            message_id: event.messageId,
            person_kind: event.person?.kind ?? null,
            person_id: event.person?.id ?? null,
            seq: event.seq,
            at: event.at,
          })),
        )
        .execute();
    },
    async after(afterId, limit) {
      if (limit <= 0) return [];
      const rows = await db
        .selectFrom("conversation_events")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("id", ">", String(Math.max(0, Math.floor(afterId))))
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(
        (row): ConversationEvent => ({
          id: Number(row.id),
          clinicId: row.clinic_id,
          conversationId: row.conversation_id,
          type: row.type as ConversationEventType,
          messageId: row.message_id,
          person: optionalPersonOf(row.person_kind, row.person_id),
          seq: row.seq,
          at: row.at,
        }),
      );
    },
  };
}
