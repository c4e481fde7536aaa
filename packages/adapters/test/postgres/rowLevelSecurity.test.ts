import { type Kysely, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/postgres/Database";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";
import { seedEveryTable } from "../support/seedEveryTable";

const pg = usePostgresUnitOfWork();

interface TenantTable {
  table: string;
  column: string;
}

/**
 * The deliberate exceptions: tables that belong to no clinic, each with why. Everything else in
 * the schema is a tenant table and must pass every test below.
 */
const globalTables: Readonly<Record<string, string>> = {
  sign_in_failures:
    "failed sign-ins are counted per email and per address before any clinic is known; rows hold only a SHA-256 key and a time",
};

/** Every tenant table of the application's schema, from the catalog, with the column naming its clinic. */
async function tenantTables(db: Kysely<Database>): Promise<TenantTable[]> {
  const rows = await sql<{ table: string; column: string | null }>`
    select c.relname as table,
      (select a.attname from pg_attribute a
        where a.attrelid = c.oid and a.attname = case when c.relname = 'clinics' then 'id' else 'clinic_id' end
          and not a.attisdropped) as column
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`.execute(db);
  return rows.rows
    .filter((r) => !(r.table in globalTables))
    .map((r) => ({ table: r.table, column: r.column ?? "<none>" }));
}

describe("row-level security", () => {
  let world: World;
  let tables: TenantTable[];
  beforeAll(async () => {
    world = await seedWorld(pg.factory);
    await seedEveryTable(pg.database().app, world);
    tables = await tenantTables(pg.database().owner);
  });

  it("SEC-4: every table of the schema has RLS enabled and forced, a policy, and a clinic column", async () => {
    const rows = await sql<{ table: string; enabled: boolean; forced: boolean; policies: number }>`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
        (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`.execute(pg.database().owner);
    expect(rows.rows.length).toBeGreaterThanOrEqual(15);
    for (const row of rows.rows.filter((r) => !(r.table in globalTables))) {
      expect(row, row.table).toMatchObject({ enabled: true, forced: true });
      expect(row.policies, row.table).toBeGreaterThan(0);
    }
    for (const { table, column } of tables) expect(column, table).not.toBe("<none>");
  });

  it("SEC-4: the global tables are exactly the listed exceptions: no clinic column, nothing but a hashed key and a time", async () => {
    const rows = await sql<{ table: string; columns: string[] }>`
      select c.relname as table, array_agg(a.attname::text order by a.attnum) as columns
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = 'public' and c.relkind in ('r', 'p')
      group by c.relname
      having not bool_or(a.attname = 'clinic_id') and c.relname <> 'clinics'`.execute(pg.database().owner);
    expect(rows.rows.map((r) => r.table).sort()).toEqual(Object.keys(globalTables).sort());
    expect(rows.rows.find((r) => r.table === "sign_in_failures")?.columns).toEqual(["id", "key", "at"]);
  });

  it("SEC-4: through the application role with no clinic set, no table shows a row", async () => {
    const app = pg.database().app;
    for (const { table } of tables) {
      const count = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(app);
      expect(count.rows[0]?.n, table).toBe(0);
    }
    // The setting left empty by an earlier transaction on the same connection behaves the same.
    await app.transaction().execute(async (trx) => {
      await sql`select set_config('app.clinic_id', '', true)`.execute(trx);
      const count = await sql<{ n: number }>`select count(*)::int as n from messages`.execute(trx);
      expect(count.rows[0]?.n).toBe(0);
    });
  });

  it("SEC-4 ELIG-5: with clinic A set, every table shows rows of A and never one of B", async () => {
    for (const clinicId of [world.clinic.id, world.otherClinic.id]) {
      await withClinic(pg.database().app, clinicId, async (trx) => {
        for (const { table, column } of tables) {
          const rows = await sql<{ clinic: string }>`
            select ${sql.ref(column)} as clinic from ${sql.table(table)}`.execute(trx);
          expect(rows.rows.length, `${table} has seed rows`).toBeGreaterThan(0);
          expect(new Set(rows.rows.map((r) => r.clinic)), table).toEqual(new Set([clinicId]));
        }
      });
    }
  });

  it("SEC-4: the application role cannot write into another clinic, nor without a clinic", async () => {
    const app = pg.database().app;
    await expect(
      sql`insert into clinics (id, name, plan, patient_chat_enabled, patient_file_sharing_enabled,
        patient_messaging_enabled, team_chat_enabled, sms_notifications_enabled, idle_timeout_minutes,
        notification_delay_seconds) values ('stray', 'Stray', 'starter', false, true, false, false, false, 15, 120)`.execute(
        app,
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withClinic(app, world.clinic.id, (trx) =>
        sql`insert into audit_log (clinic_id, action, at, outcome)
          values (${world.otherClinic.id}, 'message.send', now(), 'success')`.execute(trx),
      ),
    ).rejects.toThrow(/row-level security/);
    const changed = await withClinic(app, world.clinic.id, (trx) =>
      sql`update patients set name = 'Changed' where clinic_id = ${world.otherClinic.id}`.execute(trx),
    );
    expect(changed.numAffectedRows).toBe(0n);
    const untouched = await withClinic(app, world.otherClinic.id, (trx) =>
      sql<{ name: string }>`select name from patients where id = ${world.foreignPatient.id}`.execute(trx),
    );
    expect(untouched.rows).toEqual([{ name: world.foreignPatient.name }]);
  });

  it("SEC-4: the application role is no superuser, cannot bypass RLS and owns nothing", async () => {
    const role = await sql<{ super: boolean; bypass: boolean; login: boolean; owned: number }>`
      select r.rolsuper as super, r.rolbypassrls as bypass, r.rolcanlogin as login,
        (select count(*)::int from pg_class c where c.relowner = r.oid) +
        (select count(*)::int from pg_namespace n where n.nspowner = r.oid) as owned
      from pg_roles r where r.rolname = (select current_user from (select 1) x)`.execute(pg.database().app);
    expect(role.rows).toEqual([{ super: false, bypass: false, login: true, owned: 0 }]);
    await expect(sql`create table intruder (id int)`.execute(pg.database().app)).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      sql`select * from app_migrations.kysely_migration`.execute(pg.database().app),
    ).rejects.toThrow(/permission denied/);
  });
});
