import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { migrateToLatest, migrationSchema } from "../../src/postgres/migrate";
import { migrationProvider } from "../../src/postgres/migrations/index";
import { withDatabase } from "../support/postgres";

// Migration 0013 gives patient conversations their inbox state: those from before start open and
// unassigned, and "Awaiting reply" must know who wrote last in them.

const provided = inject("postgres");
const name = `test_m13_${randomBytes(6).toString("hex")}`;
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

describe("migration 0013: the inbox", () => {
  it("INBOX-1: conversations from before are open and unassigned, with who wrote last taken from their last message", async () => {
    const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: migrationSchema });
    expect((await migrator.migrateTo("0012_password_resets")).error).toBeUndefined();
    // RLS is forced on the owner too: the rows of before are written as the clinic.
    await db.transaction().execute(async (trx) => {
      await sql`select set_config('app.clinic_id', 'c1', true)`.execute(trx);
      await sql`insert into clinics (id, name, plan, patient_chat_enabled, patient_file_sharing_enabled,
                  patient_messaging_enabled, team_chat_enabled, sms_notifications_enabled,
                  idle_timeout_minutes, notification_delay_seconds)
                values ('c1', 'Lakeside', 'premium', true, true, true, true, false, 15, 120)`.execute(trx);
      await sql`insert into patients (clinic_id, id, name, email, mobile_phone, sms_consent, portal_account)
                values ('c1', 'p1', 'Jane', null, null, false, 'active'), ('c1', 'p2', 'Joan', null, null, false, 'active')`.execute(
        trx,
      );
      await sql`insert into conversations (clinic_id, id, kind, patient_id, key, created_at, last_activity_at, last_seq)
                values ('c1', 'k1', 'patient', 'p1', 'patient:p1', now(), now(), 2),
                       ('c1', 'k2', 'patient', 'p2', 'patient:p2', now(), now(), 1),
                       ('c1', 'k3', 'team', null, 'team:s1', now(), now(), 0)`.execute(trx);
      await sql`insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at, body_kind, text)
                values ('c1', 'm1', 'k1', 1, 'a', 'staff', 's1', now(), 'text', 'hello'),
                       ('c1', 'm2', 'k1', 2, 'b', 'patient', 'p1', now(), 'text', 'hi'),
                       ('c1', 'm3', 'k2', 1, 'c', 'staff', 's1', now(), 'text', 'results')`.execute(trx);
    });

    expect(await migrateToLatest(db)).toContain("0013_inbox");

    const rows = await db.transaction().execute(async (trx) => {
      await sql`select set_config('app.clinic_id', 'c1', true)`.execute(trx);
      return (
        await sql<Record<string, unknown>>`
          select id, inbox_status, assignee_id, last_sender_kind, last_auto_reply_at
            from conversations order by id`.execute(trx)
      ).rows;
    });
    expect(rows).toEqual([
      {
        id: "k1",
        inbox_status: "open",
        assignee_id: null,
        last_sender_kind: "patient",
        last_auto_reply_at: null,
      },
      {
        id: "k2",
        inbox_status: "open",
        assignee_id: null,
        last_sender_kind: "staff",
        last_auto_reply_at: null,
      },
      { id: "k3", inbox_status: "open", assignee_id: null, last_sender_kind: null, last_auto_reply_at: null },
    ]);
    // The lifted RLS is forced again.
    const forced = await sql<{ relname: string; relforcerowsecurity: boolean }>`
      select relname, relforcerowsecurity from pg_class
       where relname in ('conversations', 'messages', 'conversation_timeline') order by relname`.execute(db);
    expect(forced.rows.every((r) => r.relforcerowsecurity)).toBe(true);
    expect(forced.rows).toHaveLength(3);
  });
});
