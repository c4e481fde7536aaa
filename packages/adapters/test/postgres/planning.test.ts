import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import { patientConversation, ref, seedWorld } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

// How PostgreSQL plans the statements of a live delivery's read decision: its own session's
// prepared statements (pg_prepared_statements) count the generic and custom plans each used.

const pg = usePostgresUnitOfWork();

// One connection, so every unit of work below prepares its statements on the same session.
let db: Kysely<Database>;
beforeAll(() => {
  db = connectPostgres(pg.database().appUrl, { max: 1 });
});
afterAll(async () => {
  await db.destroy();
});

it("ELIG-4: a reader's standing in a conversation is planned once per connection, not at every read", async () => {
  const recordKeys = createRecordKeys(inMemoryKeyProvider());
  const world = await seedWorld(() => createPostgresUnitOfWork(db, { recordKeys }));
  const chat = patientConversation(world);
  await world.run((s) => s.conversations.create(chat, [ref(world.patient), ref(world.practitioner)]));
  // A live delivery asks for one conversation, as a patient: the custom plans of that look cheaper
  // than the generic plan, so PostgreSQL would make one at every call.
  for (let i = 0; i < 8; i++) {
    const [standing] = await world.run((s) => s.conversations.standingsIn([chat.id], ref(world.patient)));
    expect(standing?.participating).toBe(true);
  }
  const plans = await sql<{ generic: number; custom: number }>`
    select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
     where statement like 'select c.*,%exists (select from conversation_participants p%'`.execute(db);
  expect(plans.rows).toEqual([{ generic: 8, custom: 0 }]);
});
