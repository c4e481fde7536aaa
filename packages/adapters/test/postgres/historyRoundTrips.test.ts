import type { Actor } from "@clinic-chat/domain";
import { defaultSettings } from "@clinic-chat/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, type World } from "../contract/fixtures";
import { startTracedChat, type TracedChat } from "../support/tracedChat";

/**
 * What the live path's history reads of one tick cost on the wire (`readHistories`, SEC-3): 2 round
 * trips, whatever their number. A change that adds a round trip fails here; update the numbers
 * only on purpose.
 */
let setup: TracedChat;
let statements: TracedChat["statements"];
let world: World;
let chat: TracedChat["chat"];
let conversationId: string;
let staff: Actor;
let patient: Actor;

beforeAll(async () => {
  setup = await startTracedChat({ ring: () => undefined });
  ({ statements, world, chat } = setup);
  await world.run(async (s) => {
    await s.clinics.saveSettings(world.clinic.id, {
      ...defaultSettings("premium"),
      patientChatEnabled: true,
    });
  });
  staff = { clinicId: world.clinic.id, person: { kind: "staff", id: world.practitioner.id } };
  patient = { clinicId: world.clinic.id, person: { kind: "patient", id: world.patient.id } };
  conversationId = (await chat.startPatientChat(staff, { patientId: world.patient.id })).conversation.id;
  for (const text of ["first", "second"])
    await chat.sendMessage(staff, { conversationId, clientId: newId("c"), text });
  // Warm: every statement has been prepared once.
  await chat.readHistories(world.clinic.id, [{ actor: patient, conversationId, beforeSeq: null, limit: 2 }]);
});

afterAll(async () => {
  await setup?.close();
});

describe("round trips of one tick's live history reads on PostgreSQL", () => {
  it("SEC-3 ELIG-4: the access facts and the pages of every read go out together, then the records with the COMMIT: 2 round trips; a refused read's rows are dropped", async () => {
    const outsider: Actor = {
      clinicId: world.clinic.id,
      person: { kind: "patient", id: world.otherPatient.id },
    };
    statements.length = 0;
    const results = await chat.readHistories(world.clinic.id, [
      { actor: patient, conversationId, beforeSeq: null, limit: 1 },
      { actor: staff, conversationId, beforeSeq: 3, limit: 2, addresses: ["10.0.0.1", "10.0.0.2"] },
      { actor: outsider, conversationId, beforeSeq: null, limit: 2 },
    ]);
    const inTheTick = statements.slice(0, statements.findIndex((s) => /^\s*commit/i.test(s.sql)) + 1);
    expect(inTheTick.filter((s) => s.roundTrip).length).toBe(2);
    expect(results.map((r) => (r.ok ? r.value.messages.map((m) => m.seq) : r.error.code))).toEqual([
      [2],
      [2, 1],
      "NOT_FOUND",
    ]);
  });
});
