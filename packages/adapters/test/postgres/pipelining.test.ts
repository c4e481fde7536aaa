import { type AuditEvent, DomainError } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, transactionStatements } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { at, patientConversation, ref, seedWorld } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

describe("pipelined transactions", () => {
  // One connection, so that every transaction below runs on the one before's.
  let db: Kysely<Database>;
  beforeAll(() => {
    db = connectPostgres(pg.database().appUrl, { max: 1 });
  });
  afterAll(async () => {
    await db.destroy();
  });

  const setting = (trx: Kysely<Database>) =>
    sql<{ clinic: string }>`select current_setting('app.clinic_id', true) as clinic`.execute(trx);

  it("SEC-4: BEGIN and the clinic go ahead of the first statement, in its transaction, and end with it", async () => {
    const seen = await withClinic(db, "clinic-a", async (trx) => {
      const first = await sql<{ clinic: string; at: Date }>`
        select current_setting('app.clinic_id', true) as clinic, now() as at`.execute(trx);
      const second = await sql<{ at: Date }>`select now() as at, pg_sleep(0.002)`.execute(trx);
      return { first: first.rows[0]!, second: second.rows[0]! };
    });
    expect(seen.first.clinic).toBe("clinic-a");
    // One transaction: its start time does not move between statements.
    expect(seen.second.at).toEqual(seen.first.at);
    expect((await setting(db)).rows[0]?.clinic ?? "").toBe("");
  });

  it("a failed statement sent ahead fails the next statement with its own error, and the connection recovers", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await transactionStatements(trx).write("select 1 / 0");
        await sql`select 1`.execute(trx);
      }),
    ).rejects.toThrow(/division by zero/);
    await expect(
      db.transaction().execute((trx) => transactionStatements(trx).write("select 1 / 0")),
    ).rejects.toThrow(/division by zero/);
    expect(await withClinic(db, "clinic-b", async (trx) => (await setting(trx)).rows[0]?.clinic)).toBe(
      "clinic-b",
    );
  });

  it("a use case that throws before any statement rolls back what went ahead", async () => {
    await expect(
      withClinic(db, "clinic-c", async () => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect((await setting(db)).rows[0]?.clinic ?? "").toBe("");
  });

  it("SEC-3: an audit record written behind that fails fails its unit of work, at the next statement or the COMMIT, and nothing of it commits", async () => {
    const world = await seedWorld(pg.factory);
    const bad = {
      clinicId: world.clinic.id,
      actor: ref(world.admin),
      action: "message.send",
      at: at(1),
      ip: null,
      outcome: "maybe",
    } as unknown as AuditEvent;
    const first = patientConversation(world);
    await expect(
      world.run(async (s) => {
        await s.conversations.create(first, [ref(world.patient)]);
        await s.audit.append(bad);
      }),
    ).rejects.toThrow(/audit_log/);
    let afterwards = false;
    await expect(
      world.run(async (s) => {
        await s.audit.append(bad);
        await s.conversations.create(first, [ref(world.patient)]);
        afterwards = true;
      }),
    ).rejects.toThrow(/audit_log/);
    expect(afterwards).toBe(false);
    expect(await world.run((s) => s.conversations.get(first.id))).toBeNull();
    expect((await world.run((s) => s.audit.list({ limit: 10 }))).items).toEqual([]);
  });

  it("a refusal thrown after a write behind rolls it back", async () => {
    const world = await seedWorld(pg.factory);
    await expect(
      world.run(async (s) => {
        await s.audit.append({
          clinicId: world.clinic.id,
          actor: ref(world.admin),
          action: "message.send",
          at: at(1),
          ip: null,
          outcome: "success",
        });
        throw new DomainError("FORBIDDEN");
      }),
    ).rejects.toThrow("FORBIDDEN");
    expect((await world.run((s) => s.audit.list({ limit: 10 }))).items).toEqual([]);
  });

  it("statements issued together go out in one write; a failure of the first is the one reported, also by the next, which fails too, and nothing commits", async () => {
    const both = await withClinic(db, "clinic-d", async (trx) => {
      const [a, b] = await Promise.all([
        transactionStatements(trx).read<{ n: number }>("select 1 as n", []),
        transactionStatements(trx).read<{ n: number }>("select 2 as n", []),
      ]);
      return [a[0]?.n, b[0]?.n];
    });
    expect(both).toEqual([1, 2]);
    let second: unknown = null;
    await expect(
      withClinic(db, "clinic-e", async (trx) => {
        const first = transactionStatements(trx).read("select 1 / 0", []);
        const next = transactionStatements(trx).read("select 1", []);
        next.catch((error: unknown) => {
          second = error;
        });
        await Promise.all([first, next]);
      }),
    ).rejects.toThrow(/division by zero/);
    // It failed as "current transaction is aborted", and says why.
    expect(String(second)).toMatch(/division by zero/);
    expect((await setting(db)).rows[0]?.clinic ?? "").toBe("");
  });

  it("a write behind that fails is the failure reported by statements issued together after it", async () => {
    const errors: string[] = [];
    await expect(
      withClinic(db, "clinic-f", async (trx) => {
        await transactionStatements(trx).write("select 1 / 0");
        const answers = [
          transactionStatements(trx).read("select 1", []),
          transactionStatements(trx).read("select 2", []),
        ];
        for (const answer of answers) answer.catch((error: unknown) => errors.push(String(error)));
        await Promise.all(answers);
      }),
    ).rejects.toThrow(/division by zero/);
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(error).toMatch(/division by zero/);
  });
});
