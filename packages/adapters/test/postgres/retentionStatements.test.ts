import type { Patient } from "@clinic-chat/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, patientConversation, postText, ref, type World } from "../contract/fixtures";
import { startTracedChat, type TracedChat } from "../support/tracedChat";

let setup: TracedChat;
let statements: TracedChat["statements"];
let world: World;
let chat: TracedChat["chat"];

beforeAll(async () => {
  setup = await startTracedChat();
  ({ statements, world, chat } = setup);
}, 120_000);

afterAll(async () => {
  await setup?.close();
});

/** A retention run of a clinic whose one expired conversation holds `count` messages, in one part. */
async function measureRun(count: number, patient: Patient) {
  const staff = ref(world.practitioner);
  const conversation = patientConversation(world, patient);
  await world.run(async (s) => {
    await s.conversations.create(conversation, [staff, ref(patient)]);
    for (let i = 0; i < count; i++) await postText(s, conversation.id, staff, `old ${i}`, at(i));
    await s.records.saveRetention({
      period: { amount: 30, unit: "days" },
      setBy: world.admin.id,
      setAt: new Date(),
    });
  });
  statements.length = 0;
  const outcome = await chat.runRetention(world.clinic.id, { sliceSize: count });
  return {
    outcome,
    statements: statements.length,
    roundTrips: statements.filter((s) => s.roundTrip).length,
  };
}

describe("statements of a retention run on PostgreSQL", () => {
  it("REC-3 DEL-2 DEL-3: a part costs the same statements and round trips for 40 messages as for 10: one store call per kind of record, never one per message", async () => {
    const ten = await measureRun(10, world.patient);
    const forty = await measureRun(40, world.otherPatient);
    expect(ten.outcome).toMatchObject({ deletedMessages: 10, deletedFiles: 0 });
    expect(forty.outcome).toMatchObject({ deletedMessages: 40, deletedFiles: 0 });
    expect(forty.statements).toBe(ten.statements);
    expect(forty.roundTrips).toBe(ten.roundTrips);
    // The run's start, a part that erases, a part that finds nothing more, and its end.
    expect(ten.roundTrips).toBeLessThanOrEqual(20);
  }, 300_000);
});
