import type { Message, PostingRequest } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { postgresStores, withClinic } from "../../src/postgres/PostgresUnitOfWork";
import {
  at,
  newId,
  patientConversation,
  ref,
  seedWorld,
  teamConversation,
  type World,
} from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();
const options = { notificationQueue: () => ({ schedule: async () => {} }) };

/** The posting ports on PostgreSQL: what a send leaves on its transaction and tells the live feed. */
describe("batch ports on PostgreSQL", () => {
  // One connection, so that every transaction below runs on the one before's.
  let db: Kysely<Database>;
  let world: World;
  let requests: PostingRequest[];
  beforeAll(async () => {
    db = connectPostgres(pg.database().appUrl, { max: 1 });
    world = await seedWorld(pg.factory);
    const a = patientConversation(world);
    const b = teamConversation(world, [world.practitioner, world.colleague]);
    await world.run(async (s) => {
      await s.conversations.create(a, [ref(world.patient), ref(world.practitioner)]);
      await s.conversations.create(b, [ref(world.practitioner), ref(world.colleague)]);
    });
    requests = [
      {
        conversationId: a.id,
        person: ref(world.patient),
        clientId: newId("client"),
        recipientsToNotify: ["staff"],
      },
      {
        conversationId: b.id,
        person: ref(world.colleague),
        clientId: newId("client"),
        recipientsToNotify: ["staff"],
      },
    ];
  });
  afterAll(async () => {
    await db.destroy();
  });

  /** The named prepared statements of the connection, with how often each was planned generically and for its arguments. */
  const prepared = async (on: Kysely<Database>) =>
    (
      await sql<{ statement: string; generic_plans: string; custom_plans: string }>`
        select statement, generic_plans::text, custom_plans::text from pg_prepared_statements`.execute(on)
    ).rows.map((r) => ({
      statement: r.statement,
      generic: Number(r.generic_plans),
      custom: Number(r.custom_plans),
    }));

  /**
   * How the tables a reservation reads were read, as the statistics count them: the sequential
   * (and bitmap) scans of each, and the rows read through the directory's indexes.
   */
  const readsOf = async (on: Kysely<Database>) => {
    // The backend's counts reach the statistics when it is next idle.
    await sql`select pg_stat_force_next_flush()`.execute(on);
    const { rows } = await sql<{ relname: string; seq_scan: string; idx_tup_fetch: string }>`
      select relname, seq_scan::text, idx_tup_fetch::text from pg_stat_user_tables
       where relname in ('conversations', 'conversation_participants', 'notification_states', 'messages',
                         'message_keys', 'staff', 'patients')
       order by relname`.execute(on);
    return {
      scans: rows.map((r) => `${r.relname} ${r.seq_scan}`),
      directoryRows: rows
        .filter((r) => r.relname === "staff" || r.relname === "patients")
        .reduce((sum, r) => sum + Number(r.idx_tup_fetch), 0),
    };
  };

  it("SEC-4: reserveForPosting is planned once per connection, reading every table through its indexes and the directory row by row, however few rows they held when it was planned", async () => {
    // Statistics of a handful of rows: a plan left to them reads the tables whole, and goes on
    // reading them whole as every post leaves dead row versions behind.
    // A directory beside them, of a size a plan would rather read whole than look up row by row.
    await sql`insert into patients (clinic_id, id, name, email, mobile_phone, sms_consent, portal_account)
      select ${world.clinic.id}, 'directory-' || g, 'Patient ' || g, null, null, false, 'active'
        from generate_series(1, 64) g`.execute(pg.database().inspect);
    await sql`analyze conversations, conversation_participants, notification_states, messages, message_keys, staff, patients`.execute(
      pg.database().inspect,
    );
    const before = await readsOf(db);
    for (let round = 0; round < 7; round++) {
      const answers = await withClinic(db, world.clinic.id, (trx, statements, journal) =>
        postgresStores(trx, statements, world.clinic.id, options, journal).conversations.reserveForPosting(
          requests,
        ),
      );
      expect(answers.map((f) => f.conversation?.id)).toEqual(requests.map((r) => r.conversationId));
    }
    const after = await readsOf(db);
    expect(after.scans).toEqual(before.scans);
    // Each post's person, its conversation's two participants and its patient, looked up by key.
    expect(after.directoryRows - before.directoryRows).toBeLessThanOrEqual(7 * requests.length * 4);
    const statements = await prepared(db);
    // The facts statement locks the conversations first ("with c as"), the locking one starts with its input ("with q as").
    expect(
      statements.some(
        (s) => s.statement.includes("cross join lateral") && s.statement.startsWith("with c as"),
      ),
    ).toBe(true);
    const locking = statements.filter((s) => s.statement.includes("insert into notification_states"));
    expect(locking).toHaveLength(1);
    expect(locking[0]).toMatchObject({ generic: 7, custom: 0 });
  });

  it("MSG-1: a post's earlier message with its client id is looked up by that key, however many messages the clinic holds", async () => {
    // Messages of the clinic that no request of the reservation sent: none of them is an answer.
    await sql`insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at, body_kind, text)
      select ${world.clinic.id}, 'earlier-' || g, ${requests[0]!.conversationId}, 1000 + g, 'earlier-' || g,
             'patient', ${world.patient.id}, now(), 'text', 'earlier'
        from generate_series(1, 300) g`.execute(pg.database().inspect);
    const fetched = async () => {
      await sql`select pg_stat_force_next_flush()`.execute(db);
      const { rows } = await sql<{ n: string }>`
        select idx_tup_fetch::text as n from pg_stat_user_tables where relname = 'messages'`.execute(db);
      return Number(rows[0]?.n);
    };
    const before = await fetched();
    for (let round = 0; round < 5; round++) {
      const answers = await withClinic(db, world.clinic.id, (trx, statements, journal) =>
        postgresStores(trx, statements, world.clinic.id, options, journal).conversations.reserveForPosting(
          requests.map((r) => ({ ...r, clientId: newId("client") })),
        ),
      );
      expect(answers.map((f) => f.sentBefore)).toEqual(requests.map(() => null));
    }
    // Read through the messages' index: at most the one message each post's key could match.
    expect((await fetched()) - before).toBeLessThanOrEqual(5 * requests.length);
  });

  it("MSG-2: the unit of work tells the live feed the newest event id of its posts, once it is answered", async () => {
    const behind: Promise<number>[] = [];
    const events = { appendedBehind: (id: Promise<number>) => behind.push(id) };
    const messages = await withClinic(
      db,
      world.clinic.id,
      async (trx, statements, journal) => {
        const s = postgresStores(trx, statements, world.clinic.id, options, journal);
        const access = await s.conversations.reserveForPosting(
          requests.map((r) => ({ ...r, clientId: newId("client") })),
        );
        const batch = requests.map(
          (r, i): Message => ({
            id: newId("msg"),
            clinicId: world.clinic.id,
            conversationId: r.conversationId,
            seq: (access[i]?.conversation?.lastSeq ?? 0) + 1,
            clientId: newId("client"),
            sender: r.person,
            sentAt: at(3),
            body: { kind: "text", text: `batched ${i}` },
          }),
        );
        await s.messages.post(batch);
        return batch;
      },
      events,
    );
    expect(behind).toHaveLength(1);
    const stored = await world.run((s) => s.events.after(0, 10_000));
    const ours = stored.filter((e) => messages.some((m) => m.id === e.messageId));
    expect(ours).toHaveLength(2);
    expect(await behind[0]).toBe(Math.max(...ours.map((e) => e.id)));
  });
});
