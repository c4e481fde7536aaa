import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { at, seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

describe("audit log", () => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(pg.factory);
    await world.run((s) =>
      s.audit.append({
        clinicId: world.clinic.id,
        actor: null,
        action: "auth.sign_in",
        at: at(0),
        ip: null,
        outcome: "success",
      }),
    );
  });

  it("SEC-3: the application role can neither update nor delete audit records", async () => {
    const app = pg.database().app;
    for (const statement of [sql`update audit_log set reason = 'edited'`, sql`delete from audit_log`]) {
      await expect(withClinic(app, world.clinic.id, (trx) => statement.execute(trx))).rejects.toThrow(
        /permission denied/,
      );
    }
  });

  it("SEC-3: even the owner (a superuser, or a managed database's owner) cannot update, delete or truncate the audit log", async () => {
    const owner = pg.database().owner;
    for (const statement of [
      sql`update audit_log set reason = 'edited'`,
      sql`delete from audit_log`,
      sql`delete from audit_log where false`,
      sql`truncate audit_log`,
    ]) {
      await expect(statement.execute(owner)).rejects.toThrow(/append-only/);
    }
    const left = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(
      pg.database().inspect,
    );
    expect(left.rows[0]?.n).toBe(1);
  });
});
