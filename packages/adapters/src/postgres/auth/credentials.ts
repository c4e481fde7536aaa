import type { CredentialStore, PersonRef } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import type { RecordKeys } from "../../keys/recordKeys";
import { isSealedText } from "../../keys/sealing";
import type { Database } from "../Database";

/** What a person's TOTP secret is sealed for. */
export function totpSubject(person: PersonRef): string {
  return `totp/${person.kind}/${person.id}`;
}

/**
 * The credentials of one clinic; every statement names the clinic as well as RLS. With record
 * keys, TOTP secrets are sealed under the clinic's key (REC-1): a copy of the database or a backup
 * does not give the second factor away.
 */
export function postgresCredentialStore(
  db: Kysely<Database>,
  clinicId: string,
  keys?: RecordKeys,
): CredentialStore {
  const openSecret = async (person: PersonRef, stored: string | null): Promise<string | null> => {
    if (stored === null || !isSealedText(stored)) return stored;
    if (!keys) throw new Error("a TOTP secret is sealed and no record keys are configured");
    return (await keys.forClinic(clinicId, db)).openSecret(totpSubject(person), stored);
  };
  const of = (person: PersonRef) =>
    db
      .updateTable("auth_credentials")
      .where("clinic_id", "=", clinicId)
      .where("person_kind", "=", person.kind)
      .where("person_id", "=", person.id);
  return {
    async get(person) {
      const row = await db
        .selectFrom("auth_credentials")
        .select([
          "login_email",
          "password_hash",
          "totp_secret",
          "totp_started_at",
          "totp_enabled",
          sql<number>`cardinality(recovery_code_hashes)`.as("recovery_codes_left"),
        ])
        .where("clinic_id", "=", clinicId)
        .where("person_kind", "=", person.kind)
        .where("person_id", "=", person.id)
        .executeTakeFirst();
      if (!row) return null;
      return {
        person,
        loginEmail: row.login_email,
        passwordHash: row.password_hash,
        totpSecret: await openSecret(person, row.totp_secret),
        totpStartedAt: row.totp_started_at,
        totpEnabled: row.totp_enabled,
        recoveryCodesLeft: row.recovery_codes_left,
      };
    },
    async setPassword(person, loginEmail, passwordHash, at) {
      await db
        .insertInto("auth_credentials")
        .values({
          clinic_id: clinicId,
          person_kind: person.kind,
          person_id: person.id,
          login_email: loginEmail,
          password_hash: passwordHash,
          password_set_at: at,
        })
        .onConflict((oc) =>
          oc.columns(["clinic_id", "person_kind", "person_id"]).doUpdateSet({
            login_email: loginEmail,
            password_hash: passwordHash,
            password_set_at: at,
          }),
        )
        .execute();
    },
    async emailTaken(person, loginEmail) {
      const row = await db
        .selectFrom("auth_credentials")
        .select("person_id")
        .where("clinic_id", "=", clinicId)
        .where("person_kind", "=", person.kind)
        .where("login_email", "=", loginEmail)
        .where("person_id", "<>", person.id)
        .executeTakeFirst();
      return row !== undefined;
    },
    async startTotp(person, secret, at, keepPendingSince) {
      // One statement: of two sign-ins starting at once, the second waits for the first's row
      // and then finds its secret pending, so it changes nothing.
      const stored = keys
        ? (await keys.forClinic(clinicId, db)).sealSecret(totpSubject(person), secret)
        : secret;
      let update = of(person)
        .set({ totp_secret: stored, totp_started_at: at })
        .where("totp_enabled", "=", false);
      if (keepPendingSince)
        update = update.where((eb) =>
          eb.or([
            eb("totp_secret", "is", null),
            eb("totp_started_at", "is", null),
            eb("totp_started_at", "<=", keepPendingSince),
          ]),
        );
      const result = await update.executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async enableTotp(person, secret, step, recoveryCodeHashes) {
      // A sealed secret differs from every other sealing of the same secret, so the pending one
      // is read and compared opened; the update then names what was read, so a secret started
      // again in between is not enabled.
      const pending = await db
        .selectFrom("auth_credentials")
        .select("totp_secret")
        .where("clinic_id", "=", clinicId)
        .where("person_kind", "=", person.kind)
        .where("person_id", "=", person.id)
        .executeTakeFirst();
      const stored = pending?.totp_secret ?? null;
      if (stored === null || (await openSecret(person, stored)) !== secret) return false;
      const result = await of(person)
        .set({
          totp_enabled: true,
          totp_started_at: null,
          totp_last_step: step,
          recovery_code_hashes: [...recoveryCodeHashes],
        })
        .where("totp_enabled", "=", false)
        .where("totp_secret", "=", stored)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async acceptTotpStep(person, step) {
      // One statement: of two requests with the same code, only one moves the step forward.
      const result = await of(person)
        .set({ totp_last_step: step })
        .where("totp_enabled", "=", true)
        .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", String(step))]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async useRecoveryCode(person, codeHash) {
      const result = await of(person)
        .set({ recovery_code_hashes: sql`array_remove(recovery_code_hashes, ${codeHash})` })
        .where(sql<boolean>`${codeHash} = any(recovery_code_hashes)`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async resetSecondFactor(person) {
      const result = await of(person)
        .set({
          totp_enabled: false,
          totp_secret: null,
          totp_started_at: null,
          totp_last_step: null,
          recovery_code_hashes: [],
        })
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
