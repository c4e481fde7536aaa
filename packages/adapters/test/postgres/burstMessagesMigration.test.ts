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

// Migration 0007 moves the messages of bursts under way from the jsonb list of 0001 into rows of
// their own: a database that had pending notifications when it was upgraded must not lose them.
// The test's own rows are written and read in the clinic's context, as RLS is forced on an owner
// that is not a superuser (OPS-3); the migration runs without one, as it does in production.

const provided = inject("postgres");
const name = `test_m7_${randomBytes(6).toString("hex")}`;
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

describe("migration 0007: a burst's messages as rows", () => {
  it("NOTIF-1: pending lists move to rows, idle states bring none, and the jsonb column is gone", async () => {
    const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: migrationSchema });
    const before = await migrator.migrateTo("0006_resolve_session");
    expect(before.error).toBeUndefined();

    const pending = [
      { messageId: "m1", conversationId: "k1", seq: 1 },
      { messageId: "m2", conversationId: "k1", seq: 2 },
      { messageId: "m3", conversationId: "k2", seq: 9 },
    ];
    await withClinic(db, "c1", async (trx) => {
      await sql`insert into clinics (id, name, plan, patient_chat_enabled, patient_file_sharing_enabled,
                patient_messaging_enabled, team_chat_enabled, sms_notifications_enabled,
                idle_timeout_minutes, notification_delay_seconds)
              values ('c1', 'Lakeside', 'premium', true, true, true, true, false, 15, 120)`.execute(trx);
      await sql`insert into notification_states (clinic_id, person_kind, person_id, status, burst_id, due_at, pending)
              values ('c1', 'patient', 'p1', 'pending', 'b1', now(), ${JSON.stringify(pending)}::text::jsonb),
                     ('c1', 'staff', 's1', 'idle', null, null, '[]'::jsonb)`.execute(trx);
    });

    expect(await migrateToLatest(db)).toContain("0007_burst_messages");

    const rows = await withClinic(db, "c1", (trx) =>
      sql<Record<string, unknown>>`
      select clinic_id, person_kind, person_id, burst_id, message_id, conversation_id, seq
        from notification_burst_messages order by message_id`.execute(trx),
    );
    expect(rows.rows).toEqual(
      pending.map((m) => ({
        clinic_id: "c1",
        person_kind: "patient",
        person_id: "p1",
        burst_id: "b1",
        message_id: m.messageId,
        conversation_id: m.conversationId,
        seq: m.seq,
      })),
    );
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
       where table_name = 'notification_states' and column_name = 'pending'`.execute(db);
    expect(columns.rows).toEqual([]);
    // The rows belong to their state: a state that goes takes its burst's messages along.
    const left = await withClinic(db, "c1", async (trx) => {
      await sql`delete from notification_states where person_id = 'p1'`.execute(trx);
      return sql<{ n: number }>`select count(*)::int as n from notification_burst_messages`.execute(trx);
    });
    expect(left.rows).toEqual([{ n: 0 }]);
  });
});
