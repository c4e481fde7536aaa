import { type AuditLog, parsePersonKey } from "@clinic-chat/domain";
import type { Selectable } from "kysely";
import type { RecordKeys } from "../keys/recordKeys";
import { toConversation } from "./conversationFacts";
import type { ConversationsTable } from "./Database";
import { toPatient, toStaff } from "./directory";
import { nameOf } from "./fileStore";
import { sealOf } from "./messageStore";
import type { Statements } from "./Statements";

/** A page's conversations with their participants as person keys, by participation order. */
const conversationsSql = `select c.*,
    (select array_agg(p.person_kind || ':' || p.person_id order by p.added_at, p.person_kind, p.person_id)
       from conversation_participants p
      where p.clinic_id = c.clinic_id and p.conversation_id = c.id) as members
  from conversations c
 where c.clinic_id = $1 and c.id = any($2::text[])`;

/** The names a page of audit records needs (REC-6): one statement per kind, whatever the page holds. */
export function postgresAuditNames(
  statements: Statements,
  clinicId: string,
  keys?: RecordKeys,
): Pick<AuditLog, "recordsNamed" | "peopleNamed"> {
  const { db } = statements;
  return {
    async recordsNamed(ids) {
      const [conversations, files, seal] = await Promise.all([
        ids.conversationIds.length === 0
          ? []
          : statements.read<Selectable<ConversationsTable> & { members: string[] | null }>(conversationsSql, [
              clinicId,
              ids.conversationIds,
            ]),
        ids.fileIds.length === 0
          ? []
          : db
              .selectFrom("files")
              .select(["id", "conversation_id", "name"])
              .select((eb) =>
                eb
                  .selectFrom("file_keys as k")
                  .select("k.wrapped")
                  .whereRef("k.clinic_id", "=", "files.clinic_id")
                  .whereRef("k.file_id", "=", "files.id")
                  .as("data_key"),
              )
              .where("clinic_id", "=", clinicId)
              .where("id", "in", ids.fileIds)
              .execute(),
        ids.fileIds.length === 0 ? null : sealOf(keys, clinicId, db),
      ]);
      return {
        conversations: conversations.map(({ members, ...row }) => ({
          conversation: toConversation(row),
          participants: (members ?? []).flatMap((key) => parsePersonKey(key) ?? []),
        })),
        files: files.map((f) => ({ id: f.id, conversationId: f.conversation_id, name: nameOf(f, seal) })),
      };
    },
    async peopleNamed(ids) {
      const [staff, patients] = await Promise.all([
        ids.staffIds.length === 0
          ? []
          : db
              .selectFrom("staff")
              .selectAll()
              .where("clinic_id", "=", clinicId)
              .where("id", "in", ids.staffIds)
              .execute(),
        ids.patientIds.length === 0
          ? []
          : db
              .selectFrom("patients")
              .selectAll()
              .where("clinic_id", "=", clinicId)
              .where("id", "in", ids.patientIds)
              .execute(),
      ]);
      return { staff: staff.map(toStaff), patients: patients.map(toPatient) };
    },
  };
}
