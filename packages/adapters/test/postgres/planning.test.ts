import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { connectPostgres, transactionStatements } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import { patientConversation, ref, seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

// How PostgreSQL plans a reader's standing (every history read and live delivery decides from it):
// the session's prepared statements (pg_prepared_statements) count the generic and custom plans
// each used. And how long the settings of a statement planned once last in its transaction.

const pg = usePostgresUnitOfWork();

// One connection, so every unit of work below prepares its statements on the same session.
let db: Kysely<Database>;
let world: World;
let chat: string;
beforeAll(async () => {
  db = connectPostgres(pg.database().appUrl, { max: 1 });
  const recordKeys = createRecordKeys(inMemoryKeyProvider());
  const notificationQueue = () => ({ schedule: async () => undefined });
  world = await seedWorld(() => createPostgresUnitOfWork(db, { recordKeys, notificationQueue }));
  const conversation = patientConversation(world);
  await world.run((s) => s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]));
  chat = conversation.id;
});
afterAll(async () => {
  await db.destroy();
});

/** The plans the connection's prepared statements like `pattern` used. */
async function plansOf(pattern: string) {
  const { rows } = await sql<{ generic: number; custom: number }>`
    select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
     where statement like ${pattern}`.execute(db);
  return rows;
}

it("ELIG-4: a reader's standing in one conversation (a live delivery's read) is planned generically once PostgreSQL has compared plans", async () => {
  for (let i = 0; i < 12; i++) {
    const [standing] = await world.run((s) => s.conversations.standingsIn([chat], ref(world.patient)));
    expect(standing?.participating).toBe(true);
  }
  // PostgreSQL makes five custom plans before it weighs the generic one; a custom plan that looked
  // cheaper would be made again at every read.
  const [plans] = await plansOf("select c.*,%from conversations c where%");
  expect(plans!.generic + plans!.custom).toBe(12);
  expect(plans!.custom).toBeLessThanOrEqual(5);
});

it("SRCH-1: a reader's standing in many conversations (search's hits) is planned once per connection, not at every read", async () => {
  // An array shorter than the planner's guess of ten makes custom plans look cheaper for ever.
  for (let i = 0; i < 8; i++) {
    const standings = await world.run((s) =>
      s.conversations.standingsIn([chat, "no-such"], ref(world.patient)),
    );
    expect(standings.map((standing) => standing.participating)).toEqual([true]);
  }
  expect(await plansOf("select c.*,%unnest($4::text[])%")).toEqual([{ generic: 8, custom: 0 }]);
});

it("a read planned once leaves the statements after it planned as usual, also after rolling back to a savepoint undid its settings", async () => {
  const seqscan = "select current_setting('enable_seqscan') as on";
  const trx = await db.startTransaction().execute();
  try {
    const statements = transactionStatements(trx);
    const once = async () => (await statements.read<{ on: string }>(seqscan, [], { planOnce: true }))[0]?.on;
    const usual = async () => (await statements.read<{ on: string }>(seqscan, []))[0]?.on;
    const built = async () =>
      (await sql<{ on: string }>`select current_setting('enable_seqscan') as on`.execute(trx)).rows[0]?.on;
    expect(await once()).toBe("off");
    expect(await built()).toBe("on");
    expect(await once()).toBe("off");
    expect(await usual()).toBe("on");
    // Settings made after a savepoint are undone by rolling back to it.
    const inner = await trx.savepoint("inner").execute();
    expect(await once()).toBe("off");
    await inner.rollbackToSavepoint("inner").execute();
    expect(await once()).toBe("off");
    expect(await usual()).toBe("on");
  } finally {
    await trx.rollback().execute();
  }
});
