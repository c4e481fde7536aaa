import type { Actor, DomainError } from "@clinic-chat/domain";
import { defaultSettings } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, type World } from "../contract/fixtures";
import { startTracedChat, type TracedChat } from "../support/tracedChat";

/**
 * What one `messages.send` costs on the wire, on the unit of work the API uses (live, pg-boss
 * timers): 2 round trips. A change that adds a round trip or a statement fails here; update the
 * numbers only on purpose.
 */
let setup: TracedChat;
let db: TracedChat["db"];
let statements: TracedChat["statements"];
const rung: number[] = [];
let world: World;
let chat: TracedChat["chat"];
let conversationId: string;
let staff: Actor;

beforeAll(async () => {
  setup = await startTracedChat({ ring: (id) => rung.push(id) });
  ({ db, statements, world, chat } = setup);
  await world.run(async (s) => {
    await s.clinics.saveSettings(world.clinic.id, {
      ...defaultSettings("premium"),
      patientChatEnabled: true,
    });
  });
  staff = { clinicId: world.clinic.id, person: { kind: "staff", id: world.practitioner.id } };
  conversationId = (await chat.startPatientChat(staff, { patientId: world.patient.id })).conversation.id;
  // Warm: pg-boss has read its queue, and every statement has been prepared once.
  await chat.sendMessage(staff, { conversationId, clientId: newId("warm"), text: "warming up" });
});

afterAll(async () => {
  await setup?.close();
});

/** Round trips and all statements of `work`, with a short label of each ("+" when it rides along). */
async function measure<T>(work: () => Promise<T>) {
  statements.length = 0;
  const result = await work().then(
    (value) => ({ value, error: null }),
    (error: DomainError) => ({ value: null, error }),
  );
  const labels = statements.map((s) => `${s.roundTrip ? "" : "+ "}${label(s.sql)}`);
  return {
    ...result,
    roundTrips: statements.filter((s) => s.roundTrip).length,
    statements: statements.length,
    labels,
  };
}

/** "verb table" of a statement: its first word and the first table it names. */
function label(text: string): string {
  const flat = text.replace(/\s+/g, " ").replaceAll('"', "").trim().toLowerCase();
  const verb = flat.split(" ")[0]!;
  if (verb === "with") return `with ${flat.split(" ")[1]}`;
  // pg-boss names a partitioned queue's table by a hash: "pgboss.j…" is enough.
  const table = /\b(?:into|from|update) ([\w.]+)/
    .exec(flat)?.[1]
    ?.replace(/^pgboss\.j[0-9a-f]{16,}$/, "pgboss.j…");
  return table ? `${verb} ${table}` : flat.replace(/\(.*/, "");
}

/** What a send could have changed, as a superuser (no RLS) sees it. */
async function snapshot() {
  const q = async (text: string) => (await sql.raw<{ n: string }>(text).execute(db.inspect)).rows[0]?.n ?? "";
  return {
    messages: await q(`select count(*)::text as n from messages where conversation_id = '${conversationId}'`),
    lastSeq: await q(`select last_seq::text as n from conversations where id = '${conversationId}'`),
    activity: await q(`select last_activity_at::text as n from conversations where id = '${conversationId}'`),
    events: await q("select count(*)::text as n from conversation_events"),
    states: await q(
      "select coalesce(string_agg(status || coalesce(burst_id, ''), ',' order by person_id), '') as n from notification_states",
    ),
    burstMessages: await q(
      "select coalesce(string_agg(message_id, ',' order by message_id), '') as n from notification_burst_messages",
    ),
    jobs: await q("select count(*)::text as n from pgboss.job"),
  };
}

describe("round trips of one send on PostgreSQL", () => {
  it("MSG-1 NOTIF-1 SEC-3: a send to a patient is 2 round trips: the access facts with the conversation locked, then in one statement under that lock the participants' rows, the client id's message and the recipient's notification state locked; and COMMIT carrying the post, the message joining the recipient's pending burst (one row, the state untouched), the audit record and, last, its event (MSG-2: an event id is held only while the COMMIT runs)", async () => {
    const before = await snapshot();
    const sent = await measure(() =>
      chat.sendMessage(staff, { conversationId, clientId: newId("client"), text: "Your results are in" }),
    );
    expect(sent.error).toBeNull();
    expect(sent.labels).toEqual([
      "+ begin",
      "+ select set_config",
      // Both statements of the reservation are planned once per connection, through indexes only;
      // the statements after them are planned as usual again.
      "+ select set_config",
      "with c",
      "+ with q",
      "+ select set_config",
      "+ with ins",
      "+ insert notification_burst_messages",
      "+ insert audit_log",
      "+ with xid",
      "commit",
    ]);
    expect(sent.roundTrips).toBe(2);
    expect(sent.statements).toBe(11);
    const after = await snapshot();
    expect(Number(after.events)).toBe(Number(before.events) + 1);
    expect(after.states).toBe(before.states);
    const ids = (list: string) => list.split(",").filter(Boolean);
    expect(ids(after.burstMessages)).toEqual([...ids(before.burstMessages), sent.value?.id].sort());
    expect(Number(after.messages)).toBe(Number(before.messages) + 1);
    expect(Number(after.lastSeq)).toBe(Number(before.lastSeq) + 1);
    expect(rung.at(-1)).toBeGreaterThan(0);
  });

  it("NOTIF-1: the first send of a burst adds the pg-boss timer to what goes out with the COMMIT, still 2 round trips", async () => {
    const other = (await chat.startPatientChat(staff, { patientId: world.otherPatient.id })).conversation.id;
    const jobsBefore = (await snapshot()).jobs;
    const sent = await measure(() =>
      chat.sendMessage(staff, { conversationId: other, clientId: newId("client"), text: "Hello" }),
    );
    expect(sent.error).toBeNull();
    expect(sent.labels).toEqual([
      "+ begin",
      "+ select set_config",
      // Both statements of the reservation are planned once per connection, through indexes only;
      // the statements after them are planned as usual again.
      "+ select set_config",
      "with c",
      "+ with q",
      "+ select set_config",
      "+ with ins",
      // INBOX-1: the conversation's first message: who wrote last changes (no change, no write).
      "+ update conversations",
      "+ with ended",
      "+ insert pgboss.j…",
      "+ insert notification_burst_messages",
      "+ insert audit_log",
      "+ with xid",
      "commit",
    ]);
    expect(sent.roundTrips).toBe(2);
    expect(Number((await snapshot()).jobs)).toBe(Number(jobsBefore) + 1);
  });

  it("MSG-1: a retried send is 2 round trips and writes nothing but its audit record", async () => {
    const clientId = newId("client");
    const first = await chat.sendMessage(staff, { conversationId, clientId, text: "once" });
    const before = await snapshot();
    const retried = await measure(() => chat.sendMessage(staff, { conversationId, clientId, text: "once" }));
    expect(retried.value?.id).toBe(first.id);
    expect(retried.labels).toEqual([
      "+ begin",
      "+ select set_config",
      // Both statements of the reservation are planned once per connection, through indexes only;
      // the statements after them are planned as usual again.
      "+ select set_config",
      "with c",
      "+ with q",
      "+ select set_config",
      "+ insert audit_log",
      "commit",
    ]);
    expect(retried.roundTrips).toBe(2);
    expect(await snapshot()).toEqual(before);
  });

  it("MSG-1 SEC-3: bad input changes nothing (no number, message, event, notification or timer) and is audited as denied", async () => {
    for (const text of ["   ", "x".repeat(4001)]) {
      const before = await snapshot();
      const refused = await measure(() =>
        chat.sendMessage(staff, { conversationId, clientId: newId("client"), text }),
      );
      expect(refused.error?.code).toMatch(/^MESSAGE_(EMPTY|TOO_LONG)$/);
      expect(await snapshot()).toEqual(before);
      const denied = await sql<{ outcome: string; reason: string }>`
        select outcome, reason from audit_log order by id desc limit 1`.execute(db.inspect);
      expect(denied.rows[0]).toEqual({ outcome: "denied", reason: refused.error?.code });
    }
  });

  it("ELIG-4 SEC-4: a send into a conversation the sender is not in, or of another clinic, changes nothing", async () => {
    const before = await snapshot();
    const colleague: Actor = { clinicId: world.clinic.id, person: { kind: "staff", id: world.colleague.id } };
    const foreign: Actor = {
      clinicId: world.otherClinic.id,
      person: { kind: "staff", id: world.foreignStaff.id },
    };
    for (const actor of [colleague, foreign]) {
      const refused = await measure(() =>
        chat.sendMessage(actor, { conversationId, clientId: newId("client"), text: "hello" }),
      );
      expect(refused.error?.code).toBe("NOT_FOUND");
    }
    expect(await snapshot()).toEqual(before);
  });
});
