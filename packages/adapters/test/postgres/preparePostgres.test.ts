import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { migrateToLatest } from "../../src/postgres/migrate";
import { preparePostgres } from "../../src/postgres/preparePostgres";
import { withDatabase } from "../support/postgres";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

describe("preparePostgres", () => {
  it("SEC-4: creates the application role once, then only updates it, and migrations run once", async () => {
    const { ownerUrl, name } = pg.database();
    const role = `app_${name}`;
    await preparePostgres({ ownerUrl, appRole: role, appPassword: "first-password" });
    await preparePostgres({ ownerUrl, appRole: role, appPassword: "second-password" });
    expect(await migrateToLatest(pg.database().owner)).toEqual([]);

    const app = connectPostgres(withDatabase(ownerUrl, name, { name: role, password: "second-password" }), {
      max: 1,
    });
    try {
      const me = await sql<{ super: boolean; bypass: boolean }>`
        select rolsuper as super, rolbypassrls as bypass from pg_roles where rolname = current_user`.execute(
        app,
      );
      expect(me.rows).toEqual([{ super: false, bypass: false }]);
      const grants = await sql<{ table: string; privilege: string }>`
        select table_name as table, privilege_type as privilege from information_schema.role_table_grants
        where grantee = ${role} and table_name = 'audit_log' order by privilege_type`.execute(app);
      expect(grants.rows.map((g) => g.privilege)).toEqual(["INSERT", "SELECT"]);
    } finally {
      await app.destroy();
    }
    const stale = connectPostgres(withDatabase(ownerUrl, name, { name: role, password: "first-password" }), {
      max: 1,
    });
    await expect(sql`select 1`.execute(stale)).rejects.toThrow(/password/);
    await stale.destroy();
  });

  it("refuses a role name that is not a plain identifier", async () => {
    await expect(
      preparePostgres({ ownerUrl: pg.database().ownerUrl, appRole: 'x"; drop table', appPassword: "p" }),
    ).rejects.toThrow(/identifier/);
  });
});
