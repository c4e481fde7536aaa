import type { PersonRef } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import type { Database } from "../Database";
import { withClinic } from "../PostgresUnitOfWork";

/** The conversations a person takes part in, for filtering live events (ELIG-4). */
export interface LiveMembership {
  /** Ids of the conversations of `clinicId` in which `person` is a participant. */
  conversationsOf(clinicId: string, person: PersonRef): Promise<Set<string>>;
}

/**
 * Membership read as the application role, bound to the clinic like every request (SEC-4): one
 * index range of `participants_by_person` per subscriber, when it subscribes.
 */
export function postgresLiveMembership(db: Kysely<Database>): LiveMembership {
  return {
    conversationsOf: (clinicId, person) =>
      withClinic(db, clinicId, async (trx) => {
        const rows = await trx
          .selectFrom("conversation_participants")
          .select("conversation_id")
          .where("clinic_id", "=", clinicId)
          .where("person_kind", "=", person.kind)
          .where("person_id", "=", person.id)
          .execute();
        return new Set(rows.map((row) => row.conversation_id));
      }),
  };
}
