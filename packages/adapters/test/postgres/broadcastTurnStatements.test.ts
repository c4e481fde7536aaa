import { type Actor, defaultSettings, type Patient } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, type World } from "../contract/fixtures";
import { startTracedChat, type TracedChat } from "../support/tracedChat";

let setup: TracedChat;
let db: TracedChat["db"];
let statements: TracedChat["statements"];
let world: World;
let chat: TracedChat["chat"];
let admin: Actor;

beforeAll(async () => {
  setup = await startTracedChat({ broadcastTurns: true });
  ({ db, statements, world, chat } = setup);
  const patients: Patient[] = Array.from({ length: 250 }, (_, i) => ({
    id: newId(`recipient-${i}`),
    clinicId: world.clinic.id,
    name: `Recipient ${i}`,
    email: `r${i}@mail.test`,
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "active",
  }));
  await world.run(async (s) => {
    await s.clinics.saveSettings(world.clinic.id, {
      ...defaultSettings("premium"),
      patientChatEnabled: true,
    });
    await s.directory.savePatients(patients);
  });
  admin = { clinicId: world.clinic.id, person: { kind: "staff", id: world.admin.id } };
}, 120_000);

afterAll(async () => {
  await setup?.close();
});

/** What one turn of `turn` costs on the wire. */
async function measure(turn: { clinicId: string; broadcastId: string }) {
  statements.length = 0;
  const outcome = await chat.deliverBroadcastTurn(turn, {
    sliceSize: 100,
    pauseMs: 0,
    maxAttempts: 3,
    share: 0.5,
  });
  const flat = statements.map((s) => s.sql.replace(/\s+/g, " ").trim().toLowerCase());
  return {
    outcome,
    statements: statements.length,
    roundTrips: statements.filter((s) => s.roundTrip).length,
    /** Where the statements appending events stand, from the end (1: just before the COMMIT). */
    eventsFromEnd: flat.flatMap((text, i) =>
      text.includes("insert into conversation_events") ? [flat.length - 1 - i] : [],
    ),
    lastIsCommit: flat.at(-1) === "commit",
  };
}

describe("statements of a broadcast turn on PostgreSQL", () => {
  it("BCAST-1 START-1 NOTIF-1 MSG-2: a turn opens its recipients' conversations together and posts every copy together, the copies' inbox states and notification bursts (ended, timed, joined) one statement each: the same statements and round trips for 100 copies as for 50", async () => {
    const sent = await chat.sendBroadcast(admin, {
      clientId: newId("b"),
      content: { kind: "text", text: "Closed on Friday" },
      audience: { kind: "activePortal" },
      sendAt: null,
    });
    const turn = { clinicId: world.clinic.id, broadcastId: sent.id };
    // The world's two patients and 250 more: 100, 100, then the last 52.
    const first = await measure(turn);
    const second = await measure(turn);
    const last = await measure(turn);
    expect([first.outcome, second.outcome, last.outcome]).toEqual(["served", "served", "finished"]);
    expect(second.roundTrips).toBe(first.roundTrips);
    expect(first.roundTrips).toBeLessThanOrEqual(11);
    expect(last.roundTrips).toBeLessThanOrEqual(first.roundTrips + 1);
    // No statement per copy: the last turn (52 copies) differs from a full one by its next turn.
    expect(second.statements).toBe(first.statements);
    expect(second.statements - last.statements).toBeLessThanOrEqual(1);
    expect(first.statements).toBeLessThanOrEqual(24);
    // MSG-2: every event of a turn (the new conversations', the copies') is appended by one
    // statement, the last before the COMMIT: the live feed waits for an id only while it commits.
    for (const turn of [first, second, last]) {
      expect(turn.eventsFromEnd).toEqual([1]);
      expect(turn.lastIsCommit).toBe(true);
    }
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from messages
      where client_id = ${`broadcast-${sent.id}`}`.execute(db.inspect);
    expect(rows[0]?.n).toBe("252");
  }, 300_000);
});
