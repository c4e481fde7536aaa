import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
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

  it("OPS-3: refuses to start, naming the grant, under an owner that may not create roles or may not create in its database", async () => {
    const provided = inject("postgres");
    const suffix = randomBytes(4).toString("hex");
    const noRoles = { name: `noroles_${suffix}`, password: `noroles-${suffix}` };
    const notOwner = { name: `notowner_${suffix}`, password: `notowner-${suffix}` };
    const database = `noroles_${suffix}`;
    const server = postgres(provided.ownerUrl, { max: 1, onnotice: () => undefined });
    try {
      await server.unsafe(`CREATE ROLE ${noRoles.name} LOGIN PASSWORD '${noRoles.password}' NOCREATEROLE`);
      await server.unsafe(`CREATE ROLE ${notOwner.name} LOGIN PASSWORD '${notOwner.password}' CREATEROLE`);
      // A server's owner that is not a superuser may only give a database to a role it is in.
      await server.unsafe(`GRANT ${noRoles.name} TO CURRENT_USER`);
      await server.unsafe(`CREATE DATABASE ${database} OWNER ${noRoles.name}`);
    } finally {
      await server.end();
    }
    const prepareAs = (user: { name: string; password: string }, name: string) =>
      preparePostgres({
        ownerUrl: withDatabase(provided.ownerUrl, name, user),
        appRole: `app_${suffix}`,
        appPassword: "p",
      });
    await expect(prepareAs(noRoles, database)).rejects.toThrow("needs CREATEROLE");
    await expect(prepareAs(notOwner, pg.database().name)).rejects.toThrow("needs CREATE on its database");
  });
});
