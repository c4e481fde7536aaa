import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { migrateToLatest, migrationSchema } from "../../src/postgres/migrate";
import { migrationProvider } from "../../src/postgres/migrations/index";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { withDatabase } from "../support/postgres";
import { seedPasswordHash } from "../support/seedEveryTable";

// Migration 0009 on a database that already signs people in: a TOTP enrolment pending from before
// has no start and counts as run out (ACC-4), sessions keep working, and the replaced session
// check audits the ends it finds (SEC-3).
// The test's own rows are written and read in the clinic's context, as RLS is forced on an owner
// that is not a superuser (OPS-3); the migration runs without one, as it does in production.

const provided = inject("postgres");
const name = `test_m9_${randomBytes(6).toString("hex")}`;
const server = postgres(provided.ownerUrl, { max: 1, onnotice: () => undefined });
const db = connectPostgres(withDatabase(provided.ownerUrl, name), { max: 1 });

beforeAll(async () => {
  await server.unsafe(`CREATE DATABASE ${name}`);
});
afterAll(async () => {
  await db.destroy();
  await server.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await server.end();
});

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 9, 0) + minutes * 60_000);
const digest = (n: number) => Buffer.alloc(32, n);

describe("migration 0009: sign-in hardening", () => {
  it("ACC-4 SEC-3: a secret pending from before has no start; sessions keep working; the session check then audits each end once", async () => {
    const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: migrationSchema });
    expect((await migrator.migrateTo("0008_resolve_session_leaner")).error).toBeUndefined();

    await withClinic(db, "c1", async (trx) => {
      await sql`insert into clinics (id, name, plan, patient_chat_enabled, patient_file_sharing_enabled,
                  patient_messaging_enabled, team_chat_enabled, sms_notifications_enabled,
                  idle_timeout_minutes, notification_delay_seconds)
                values ('c1', 'Lakeside', 'premium', true, true, true, true, false, 15, 120)`.execute(trx);
      await sql`insert into staff (clinic_id, id, name, email, role, active, available_for_patient_chat, email_notifications)
                values ('c1', 's1', 'Sam Staff', 'sam@clinic.test', 'practitioner', true, true, true)`.execute(
        trx,
      );
      await sql`insert into auth_credentials (clinic_id, person_kind, person_id, login_email, password_hash,
                  password_set_at, totp_secret)
                values ('c1', 'staff', 's1', 'sam@clinic.test', ${seedPasswordHash}, ${at(0)}, 'JBSWY3DPEHPK3PXP')`.execute(
        trx,
      );
      await sql`insert into auth_sessions (token_hash, clinic_id, person_kind, person_id, created_at, last_seen_at, expires_at)
                values (${digest(1)}, 'c1', 'staff', 's1', ${at(0)}, ${at(0)}, ${at(720)}),
                       (${digest(2)}, 'c1', 'staff', 's1', ${at(0)}, ${at(0)}, ${at(720)})`.execute(trx);
    });

    expect(await migrateToLatest(db)).toContain("0009_sign_in_hardening");

    const credential = await withClinic(db, "c1", (trx) =>
      sql<{ totp_secret: string; totp_started_at: Date | null }>`
      select totp_secret, totp_started_at from auth_credentials`.execute(trx),
    );
    expect(credential.rows).toEqual([{ totp_secret: "JBSWY3DPEHPK3PXP", totp_started_at: null }]);

    const check = (hash: Buffer, now: Date) =>
      sql<{
        person_id: string;
      }>`select person_id from auth_resolve_session(${hash}, ${now}, true, interval '1 minute')`.execute(db);
    expect((await check(digest(1), at(5))).rows).toEqual([{ person_id: "s1" }]);
    // Idle since minute 5: ended at minute 20, recorded once however often it is checked.
    for (let i = 0; i < 3; i++) expect((await check(digest(1), at(30))).rows).toEqual([]);
    // Never seen again after minute 0 and past its expiry: it went idle first.
    for (let i = 0; i < 3; i++) expect((await check(digest(2), at(721))).rows).toEqual([]);
    const audit = await withClinic(db, "c1", (trx) =>
      sql<{ actor_id: string; action: string; reason: string; at: Date }>`
      select actor_id, action, reason, at from audit_log where clinic_id = 'c1' order by id`.execute(trx),
    );
    expect(audit.rows).toEqual([
      { actor_id: "s1", action: "session.expired", reason: "idle", at: at(20) },
      { actor_id: "s1", action: "session.expired", reason: "idle", at: at(15) },
    ]);
  });
});
