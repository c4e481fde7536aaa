import type { AuthStore, ResolvedSession, StaffRole } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import type { RecordKeys } from "../../keys/recordKeys";
import { postgresAuditLog } from "../auditLog";
import { postgresClinicStore } from "../clinicStore";
import type { Database, PersonKind } from "../Database";
import { postgresDirectory } from "../directory";
import { postgresEventLog } from "../eventLog";
import type { EventDoorbell } from "../live/eventDoorbell";
import { withClinic } from "../PostgresUnitOfWork";
import { personOf } from "../people";
import { postgresCredentialStore } from "./credentials";
import { postgresInvitationStore } from "./invitations";
import { passwordResetByTokenHash, postgresPasswordResetStore } from "./passwordResets";
import { postgresSessionStore } from "./sessions";
import { postgresTeamStore } from "./team";

/** How many old attempts one counted attempt clears out of the table at most. */
const pruneBatch = 100;

/**
 * The advisory lock space of counting attempts (ACC-3): the two-number form of PostgreSQL's
 * advisory locks, so nothing else's locks (pg-boss uses the one-number form) share it.
 */
const attemptLocks = 0x51_6e_41_74;

/** A key's lock: its digest's first four bytes. Two keys sharing one only wait for each other. */
const lockOf = (key: Uint8Array) => Buffer.from(key.buffer, key.byteOffset, 4).readInt32BE(0);

/**
 * Sign-in's storage on PostgreSQL, connected as the application role. The look-ups that precede
 * knowing the clinic call the SECURITY DEFINER functions of migrations 0002 and 0006 (the role
 * cannot read the tables across clinics itself); attempts live in the one global table;
 * the rest runs through {@link withClinic} under row-level security.
 */
export function createPostgresAuthStore(
  db: Kysely<Database>,
  options: {
    /** Rung after a commit that appended events, so live listeners in every process read them. */
    readonly doorbell?: EventDoorbell;
    /** The clinics' keys that seal TOTP secrets (REC-1). */
    readonly recordKeys?: RecordKeys;
  } = {},
): AuthStore {
  const store: AuthStore = {
    async signInCandidates(kind, loginEmail) {
      const result = await sql<{ clinic_id: string; person_id: string; password_hash: string }>`
        select clinic_id, person_id, password_hash from auth_sign_in_candidates(${kind}, ${loginEmail})`.execute(
        db,
      );
      return result.rows.map((row) => ({
        clinicId: row.clinic_id,
        person: personOf(kind, row.person_id),
        passwordHash: row.password_hash,
      }));
    },
    async sessionByTokenHash(tokenHash) {
      const result = await sql<{
        clinic_id: string;
        person_kind: PersonKind;
        person_id: string;
        last_seen_at: Date;
        expires_at: Date;
      }>`select clinic_id, person_kind, person_id, last_seen_at, expires_at
        from auth_session_by_token_hash(${tokenHash})`.execute(db);
      const row = result.rows[0];
      return row
        ? {
            clinicId: row.clinic_id,
            person: personOf(row.person_kind, row.person_id),
            lastSeenAt: row.last_seen_at,
            expiresAt: row.expires_at,
          }
        : null;
    },
    async resolveSession(tokenHash, at, options) {
      const result = await sql<{
        clinic_id: string;
        person_kind: PersonKind;
        person_id: string;
        staff_role: StaffRole | null;
      }>`select clinic_id, person_kind, person_id, staff_role from auth_resolve_session(
        ${tokenHash}, ${at}, ${options.touch}, make_interval(secs => ${options.maxTouchIntervalMs / 1000}))`.execute(
        db,
      );
      const row = result.rows[0];
      return row
        ? {
            clinicId: row.clinic_id,
            person: personOf(row.person_kind, row.person_id),
            staffRole: row.staff_role,
          }
        : null;
    },
    async resolveSessions(tokenHashes, at, options) {
      if (tokenHashes.length === 0) return [];
      // Digests go as hex text (a text[] parameter), each checked by the same function as
      // resolveSession; ordinality keeps each answer at its input's place.
      const hexes = tokenHashes.map((hash) => Buffer.from(hash).toString("hex"));
      const result = await sql<{
        n: string;
        clinic_id: string;
        person_kind: PersonKind;
        person_id: string;
        staff_role: StaffRole | null;
      }>`select t.n::text as n, r.clinic_id, r.person_kind, r.person_id, r.staff_role
        from unnest(${hexes}::text[]) with ordinality as t(h, n)
        cross join lateral auth_resolve_session(
          decode(t.h, 'hex'), ${at}, ${options.touch}, make_interval(secs => ${options.maxTouchIntervalMs / 1000})) r
        order by t.n`.execute(db);
      const found: (ResolvedSession | null)[] = tokenHashes.map(() => null);
      for (const row of result.rows)
        found[Number(row.n) - 1] = {
          clinicId: row.clinic_id,
          person: personOf(row.person_kind, row.person_id),
          staffRole: row.staff_role,
        };
      return found;
    },
    peekSessions(tokenHashes, at, options) {
      return store.resolveSessions(tokenHashes, at, { ...options, touch: false });
    },
    async invitationByTokenHash(tokenHash) {
      const result = await sql<{ clinic_id: string; patient_id: string; expires_at: Date }>`
        select clinic_id, patient_id, expires_at from auth_invitation_by_token_hash(${tokenHash})`.execute(
        db,
      );
      const row = result.rows[0];
      return row ? { clinicId: row.clinic_id, patientId: row.patient_id, expiresAt: row.expires_at } : null;
    },
    passwordResetByTokenHash: (tokenHash) => passwordResetByTokenHash(db, tokenHash),
    async staffInvitationByTokenHash(tokenHash) {
      const result = await sql<{
        clinic_id: string;
        id: string;
        email: string;
        role: StaffRole;
        expires_at: Date;
      }>`select clinic_id, id, email, role, expires_at
        from auth_staff_invitation_by_token_hash(${tokenHash})`.execute(db);
      const row = result.rows[0];
      return row
        ? {
            clinicId: row.clinic_id,
            invitationId: row.id,
            email: row.email,
            role: row.role,
            expiresAt: row.expires_at,
          }
        : null;
    },
    countAttempt(keys, at, since) {
      if (keys.length === 0) return Promise.resolve({ counted: true, ids: [] });
      return db.transaction().execute(async (trx) => {
        // The keys' transaction locks, always in the same order (no deadlock between an email's
        // and an address's attempts), make concurrent attempts for a key count one after another.
        const locks = [...new Set(keys.map((k) => lockOf(k.key)))].sort((x, y) => x - y);
        for (const lock of locks)
          await sql`select pg_advisory_xact_lock(${attemptLocks}::int4, ${lock}::int4)`.execute(trx);
        let oldestCounted: Date | null = null;
        for (const { key, limit } of keys) {
          const latest = await trx
            .selectFrom("sign_in_failures")
            .select("at")
            .where("key", "=", key)
            .where("at", ">", since)
            .orderBy("at", "desc")
            .limit(limit)
            .execute();
          const oldest = latest.length >= limit ? latest[limit - 1]?.at : undefined;
          if (oldest && (!oldestCounted || oldest > oldestCounted)) oldestCounted = oldest;
        }
        if (oldestCounted) return { counted: false, oldestCounted };
        const rows = await trx
          .insertInto("sign_in_failures")
          .values(keys.map(({ key }) => ({ key, at })))
          .returning("id")
          .execute();
        await trx
          .deleteFrom("sign_in_failures")
          .where("id", "in", (eb) =>
            eb.selectFrom("sign_in_failures").select("id").where("at", "<=", since).limit(pruneBatch),
          )
          .execute();
        return { counted: true, ids: rows.map((row) => String(row.id)) };
      });
    },
    async uncountAttempt(ids) {
      if (ids.length === 0) return;
      await db
        .deleteFrom("sign_in_failures")
        .where("id", "in", [...ids])
        .execute();
    },
    async run(clinicId, work) {
      const behind: Promise<number>[] = [];
      const result = await withClinic(
        db,
        clinicId,
        (trx, statements, journal) =>
          work({
            clinics: postgresClinicStore(trx, clinicId),
            directory: postgresDirectory(statements, clinicId),
            audit: postgresAuditLog(statements, clinicId),
            credentials: postgresCredentialStore(trx, clinicId, options.recordKeys),
            sessions: postgresSessionStore(trx, clinicId),
            invitations: postgresInvitationStore(trx, clinicId),
            passwordResets: postgresPasswordResetStore(trx, clinicId),
            team: postgresTeamStore(trx, clinicId),
            events: postgresEventLog(statements, clinicId, journal),
          }),
        { appendedBehind: (id) => behind.push(id) },
      );
      const newest = behind.length > 0 ? Math.max(...(await Promise.all(behind))) : 0;
      if (newest > 0) options.doorbell?.ring(newest);
      return result;
    },
  };
  return store;
}
