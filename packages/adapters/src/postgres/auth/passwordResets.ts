import type { PasswordResetLookup, PasswordResetStore, Sha256 } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import type { Database, PersonKind } from "../Database";

/** The password reset links of one clinic (ACC-1). */
export function postgresPasswordResetStore(db: Kysely<Database>, clinicId: string): PasswordResetStore {
  return {
    async create(reset) {
      // One working link per person: the latest.
      await db
        .deleteFrom("password_resets")
        .where("clinic_id", "=", clinicId)
        .where("person_kind", "=", reset.person.kind)
        .where("person_id", "=", reset.person.id)
        .where("used_at", "is", null)
        .execute();
      await db
        .insertInto("password_resets")
        .values({
          token_hash: reset.tokenHash,
          clinic_id: clinicId,
          person_kind: reset.person.kind,
          person_id: reset.person.id,
          created_at: reset.createdAt,
          expires_at: reset.expiresAt,
        })
        .execute();
    },
    async use(tokenHash, at) {
      const result = await db
        .updateTable("password_resets")
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

/** The unused reset link with this digest, in any clinic, through the SECURITY DEFINER look-up (migration 0012). */
export async function passwordResetByTokenHash(
  db: Kysely<Database>,
  tokenHash: Sha256,
): Promise<PasswordResetLookup | null> {
  const result = await sql<{
    clinic_id: string;
    person_kind: PersonKind;
    person_id: string;
    expires_at: Date;
  }>`
    select clinic_id, person_kind, person_id, expires_at from auth_password_reset_by_token_hash(${tokenHash})`.execute(
    db,
  );
  const row = result.rows[0];
  return row
    ? {
        clinicId: row.clinic_id,
        person: { kind: row.person_kind, id: row.person_id },
        expiresAt: row.expires_at,
      }
    : null;
}
