import type { PersonRef, SessionStore } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import type { Database } from "../Database";

/** The sessions of one clinic. */
export function postgresSessionStore(db: Kysely<Database>, clinicId: string): SessionStore {
  const ofPerson = (person: PersonRef) =>
    db
      .updateTable("auth_sessions")
      .where("clinic_id", "=", clinicId)
      .where("person_kind", "=", person.kind)
      .where("person_id", "=", person.id);
  return {
    async create(session) {
      await db
        .insertInto("auth_sessions")
        .values({
          token_hash: session.tokenHash,
          clinic_id: clinicId,
          person_kind: session.person.kind,
          person_id: session.person.id,
          created_at: session.createdAt,
          last_seen_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },
    async touch(tokenHash, at) {
      await db
        .updateTable("auth_sessions")
        .set({ last_seen_at: at })
        .where("clinic_id", "=", clinicId)
        .where("token_hash", "=", tokenHash)
        .where("last_seen_at", "<", at)
        .execute();
    },
    async revoke(tokenHash, at) {
      const result = await db
        .updateTable("auth_sessions")
        .set({ revoked_at: at })
        .where("clinic_id", "=", clinicId)
        .where("token_hash", "=", tokenHash)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async revokeAll(person, at, except) {
      let update = ofPerson(person)
        .set({ revoked_at: at })
        .where("revoked_at", "is", null)
        .where("expires_at", ">", at);
      if (except) update = update.where("token_hash", "!=", except);
      const result = await update.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async endExpired(person, at) {
      // The one session check (auth_resolve_session) for each, as a live stream's peek makes it;
      // a live session is left as it is. Left join: the check runs for every session, ended or not.
      await sql`select count(r.clinic_id) from auth_sessions s
        left join lateral auth_resolve_session(s.token_hash, ${at}, false, interval '1 minute') r on true
        where s.clinic_id = ${clinicId} and s.person_kind = ${person.kind} and s.person_id = ${person.id}
          and s.revoked_at is null`.execute(db);
    },
    async prune(person, before) {
      await db
        .deleteFrom("auth_sessions")
        .where("clinic_id", "=", clinicId)
        .where("person_kind", "=", person.kind)
        .where("person_id", "=", person.id)
        .where((eb) => eb.or([eb("revoked_at", "<", before), eb("expires_at", "<", before)]))
        .execute();
    },
  };
}
