import type { StaffInvitation, TeamStore } from "@clinic-chat/domain";
import { type Kysely, type Selectable, sql } from "kysely";
import type { Database, StaffInvitationsTable } from "../Database";
import { toStaff } from "../directory";

const toInvitation = (row: Selectable<StaffInvitationsTable>): StaffInvitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/** Clinic Settings › Team of one clinic (ADMIN-2); every statement names the clinic as well as RLS. */
export function postgresTeamStore(db: Kysely<Database>, clinicId: string): TeamStore {
  const pending = () =>
    db
      .selectFrom("staff_invitations")
      .selectAll()
      .where("clinic_id", "=", clinicId)
      .where("used_at", "is", null)
      .where("revoked_at", "is", null);
  const updatePending = () =>
    db
      .updateTable("staff_invitations")
      .where("clinic_id", "=", clinicId)
      .where("used_at", "is", null)
      .where("revoked_at", "is", null);
  return {
    async members() {
      const rows = await db
        .selectFrom("staff as s")
        .selectAll("s")
        .select((eb) => [
          eb
            .selectFrom("auth_sessions as a")
            .select(sql<Date>`max(a.created_at)`.as("m"))
            .whereRef("a.clinic_id", "=", "s.clinic_id")
            .where("a.person_kind", "=", "staff")
            .whereRef("a.person_id", "=", "s.id")
            .as("last_sign_in_at"),
          eb
            .selectFrom("auth_credentials as c")
            .select("c.totp_enabled")
            .whereRef("c.clinic_id", "=", "s.clinic_id")
            .where("c.person_kind", "=", "staff")
            .whereRef("c.person_id", "=", "s.id")
            .as("totp_enabled"),
        ])
        .where("s.clinic_id", "=", clinicId)
        .orderBy("s.name")
        .orderBy("s.id")
        .execute();
      return rows.map((row) => ({
        staff: toStaff(row),
        lastSignInAt: row.last_sign_in_at ?? null,
        secondFactor: row.totp_enabled === true,
      }));
    },
    async invitations() {
      const rows = await pending().orderBy("created_at", "desc").orderBy("id").execute();
      return rows.map(toInvitation);
    },
    async invitation(id) {
      const row = await pending().where("id", "=", id).executeTakeFirst();
      return row ? toInvitation(row) : null;
    },
    async invite(invitation) {
      // One working invitation per email: the latest.
      await updatePending()
        .set({ revoked_at: invitation.createdAt })
        .where("email", "=", invitation.email)
        .execute();
      await db
        .insertInto("staff_invitations")
        .values({
          clinic_id: clinicId,
          id: invitation.id,
          token_hash: invitation.tokenHash,
          email: invitation.email,
          role: invitation.role,
          created_at: invitation.createdAt,
          expires_at: invitation.expiresAt,
        })
        .execute();
    },
    async resend(id, tokenHash, expiresAt) {
      const result = await updatePending()
        .set({ token_hash: tokenHash, expires_at: expiresAt })
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async revoke(id, at) {
      const result = await updatePending().set({ revoked_at: at }).where("id", "=", id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async use(tokenHash, at) {
      const result = await updatePending()
        .set({ used_at: at })
        .where("token_hash", "=", tokenHash)
        .where("expires_at", ">", at)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
