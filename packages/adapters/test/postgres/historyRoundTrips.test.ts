import type { Actor } from "@clinic-chat/domain";
import { defaultSettings } from "@clinic-chat/domain";
import { afterAll, beforeAll, expect, it } from "vitest";
import { newId, type World } from "../contract/fixtures";
import { startTracedChat, type TracedChat } from "../support/tracedChat";

/**
 * What a live delivery's history reads cost on the wire (`readHistories`, one tick's reads of one
 * clinic): 3 round trips. A change that adds a round trip or a statement fails here; update the
 * numbers only on purpose.
 */
let setup: TracedChat;
let world: World;
let chat: TracedChat["chat"];
let conversationId: string;
let patient: Actor;

beforeAll(async () => {
  setup = await startTracedChat({ ring: () => undefined });
  ({ world, chat } = setup);
  await world.run(async (s) => {
    await s.clinics.saveSettings(world.clinic.id, {
      ...defaultSettings("premium"),
      patientChatEnabled: true,
    });
    await s.directory.savePatient({ ...world.patient, portalAccount: "active" });
  });
  const staff: Actor = { clinicId: world.clinic.id, person: { kind: "staff", id: world.practitioner.id } };
  patient = { clinicId: world.clinic.id, person: { kind: "patient", id: world.patient.id } };
  conversationId = (await chat.startPatientChat(staff, { patientId: world.patient.id })).conversation.id;
  await chat.sendMessage(staff, { conversationId, clientId: newId("client"), text: "Your results are in" });
  // Warm: every statement has been prepared once.
  await chat.readHistories(world.clinic.id, [{ actor: patient, conversationId, beforeSeq: null, limit: 1 }]);
});

afterAll(async () => {
  await setup?.close();
});

/** The statements of `work`, "+" before each that rides along with the next round trip. */
async function labelsOf(work: () => Promise<unknown>): Promise<string[]> {
  setup.statements.length = 0;
  await work();
  return setup.statements.map(
    (s) => `${s.roundTrip ? "" : "+ "}${s.sql.replace(/\s+/g, " ").trim().toLowerCase().slice(0, 24)}`,
  );
}

it("ELIG-4 SEC-3: a tick's history reads are 3 round trips: the readers and their standing together; the allowed reads' pages; the audit records with the COMMIT", async () => {
  const colleague: Actor = { clinicId: world.clinic.id, person: { kind: "staff", id: world.colleague.id } };
  let results: Awaited<ReturnType<typeof chat.readHistories>> = [];
  const labels = await labelsOf(async () => {
    results = await chat.readHistories(world.clinic.id, [
      { actor: patient, conversationId, beforeSeq: null, limit: 1 },
      { actor: colleague, conversationId, beforeSeq: null, limit: 1 },
    ]);
  });
  expect(results.map((r) => (r.ok ? r.value.messages.length : r.error.code))).toEqual([1, "NOT_FOUND"]);
  expect(labels).toEqual([
    "+ begin",
    "+ select set_config('app.c",
    'select * from "staff" wh',
    '+ select * from "patients"',
    "+ select c.*, exists (sele",
    "+ select c.*, exists (sele",
    "select m.*, (select k.wr",
    "+ insert into audit_log (c",
    "commit",
    // The refused read's denied record: a unit of work of its own, as `audited` writes it.
    "+ begin",
    "+ select set_config('app.c",
    "+ insert into audit_log (c",
    "commit",
  ]);
});
