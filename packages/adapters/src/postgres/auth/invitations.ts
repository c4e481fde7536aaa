import type { InvitationStore } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import type { Database } from "../Database";

/** The Patient Portal invitations of one clinic. */
export function postgresInvitationStore(db: Kysely<Database>, clinicId: string): InvitationStore {
  return {
    async create(invitation) {
      // One working link per patient: the latest.
      await db
        .deleteFrom("portal_invitations")
        .where("clinic_id", "=", clinicId)
        .where("patient_id", "=", invitation.patientId)
        .where("used_at", "is", null)
        .execute();
      await db
        .insertInto("portal_invitations")
        .values({
          token_hash: invitation.tokenHash,
          clinic_id: clinicId,
          patient_id: invitation.patientId,
          created_at: invitation.createdAt,
          expires_at: invitation.expiresAt,
        })
        .execute();
    },
    async use(tokenHash, at) {
      const result = await db
        .updateTable("portal_invitations")
        .set({ used_at: at })
        .where("clinic_id", "=", clinicId)
        .where("token_hash", "=", tokenHash)
        .where("used_at", "is", null)
        .where("expires_at", ">", at)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
