import { createHash, randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresAuthStore } from "../../src/postgres/auth/createPostgresAuthStore";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { at, seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();
const tables = ["auth_sessions", "clinics", "staff", "patients"];

/** The session check on PostgreSQL: how its statements read the tables behind it. */
describe("the session check's planning (SEC-2)", () => {
  // One connection: its statistics are flushed on demand, and the function's plans are its own.
  let db: Kysely<Database>;
  let world: World;
  const now = at(600);
  beforeAll(async () => {
    db = connectPostgres(pg.database().appUrl, { max: 1 });
    world = await seedWorld(pg.factory);
  });
  afterAll(async () => {
    await db.destroy();
  });

  /** The sequential scans of each table behind the check, as the statistics count them. */
  const sequentialScans = async () => {
    // The backend's counts reach the statistics when it is next idle.
    await sql`select pg_stat_force_next_flush()`.execute(db);
    const { rows } = await sql<{ relname: string; seq_scan: string }>`
      select relname, seq_scan::text from pg_stat_user_tables
       where relname = any(${tables}::text[]) order by relname`.execute(db);
    return rows.map((r) => `${r.relname} ${r.seq_scan}`);
  };

  it("SEC-2: a staff member's and a patient's sessions are checked by key lookups, however few rows the tables held when the check was planned", async () => {
    const people = [
      { kind: "staff", id: world.practitioner.id },
      { kind: "patient", id: world.patient.id },
    ] as const;
    const digests = people.map(() => createHash("sha256").update(randomBytes(32)).digest());
    await pg
      .database()
      .inspect.insertInto("auth_sessions")
      .values(
        people.map((person, i) => ({
          token_hash: digests[i]!,
          clinic_id: world.clinic.id,
          person_kind: person.kind,
          person_id: person.id,
          created_at: at(590),
          last_seen_at: at(599),
          expires_at: at(1200),
        })),
      )
      .execute();
    // Statistics of a handful of rows, each table a page: a plan left to them reads every row.
    await sql.raw(`analyze ${tables.join(", ")}`).execute(pg.database().inspect);

    const auth = createPostgresAuthStore(db);
    const before = await sequentialScans();
    for (let round = 0; round < 7; round++) {
      for (const [i, digest] of digests.entries()) {
        const found = await auth.resolveSession(digest, now, { touch: true, maxTouchIntervalMs: 60_000 });
        expect(found).toMatchObject({ clinicId: world.clinic.id, person: people[i] });
      }
      const peeked = await auth.peekSessions(digests, now, { maxTouchIntervalMs: 60_000 });
      expect(peeked.map((s) => s?.person)).toEqual(people);
    }
    expect(await sequentialScans()).toEqual(before);
  });
});
