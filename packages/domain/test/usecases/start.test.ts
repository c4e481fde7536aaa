import { beforeEach, describe, expect, it } from "vitest";
import { teamConversationKey } from "../../src/chat/Conversation";
import {
  auditTrail,
  conversationsOf,
  createWorld,
  eventLog,
  participantIds,
  refused,
  say,
  updatePatient,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

describe("starting a chat", () => {
  it("START-3: a chat opened from an entry point but never written in is in nobody's list until its first message", async () => {
    const { a, chat } = world;
    const opened = await chat.startPatientChat(a.practitioner, { patientId: a.patient.person.id });
    const team = await chat.startTeamChat(a.admin, { staffIds: [a.frontDesk.person.id] });
    for (const person of [a.practitioner, a.patient, a.admin, a.frontDesk])
      expect((await chat.listConversations(person, { limit: 10 })).items).toEqual([]);
    // The one who opened it still has it open.
    expect(
      (await chat.openConversation(a.practitioner, { conversationId: opened.conversation.id })).conversation
        .id,
    ).toBe(opened.conversation.id);

    await say(world, a.practitioner, opened.conversation.id, "Your results are in");
    const ids = async (person: typeof a.patient) =>
      (await chat.listConversations(person, { limit: 10 })).items.map((i) => i.conversation.id);
    expect(await ids(a.patient)).toEqual([opened.conversation.id]);
    expect(await ids(a.practitioner)).toEqual([opened.conversation.id]);
    expect(await ids(a.frontDesk)).toEqual([]);
    await say(world, a.frontDesk, team.conversation.id, "Lunch?");
    expect(await ids(a.admin)).toEqual([team.conversation.id]);
  });

  it("START-1: starting a patient chat twice, by another staff member and by the patient reaches one conversation", async () => {
    const { a, chat } = world;
    const first = await chat.startPatientChat(a.practitioner, { patientId: a.patient.person.id });
    expect(first.created).toBe(true);

    const again = await chat.startPatientChat(a.practitioner, { patientId: a.patient.person.id });
    expect(again).toMatchObject({ created: false, conversation: { id: first.conversation.id } });

    const byFrontDesk = await chat.startPatientChat(a.frontDesk, { patientId: a.patient.person.id });
    expect(byFrontDesk).toMatchObject({ created: false, conversation: { id: first.conversation.id } });

    const byPatient = await chat.patientStartChat(a.patient, { practitionerId: a.practitioner.person.id });
    expect(byPatient).toMatchObject({ created: false, conversation: { id: first.conversation.id } });

    expect(conversationsOf(world, a.clinicId)).toHaveLength(1);
    // The front desk joined the existing conversation rather than getting one of its own.
    expect(participantIds(world, first.conversation.id)).toEqual(
      [a.practitioner.person.id, a.frontDesk.person.id, a.patient.person.id].sort(),
    );
    const events = (await eventLog(world, a.clinicId)).map((e) => e.type);
    expect(events.filter((t) => t === "conversation.created")).toHaveLength(1);
    expect(events.filter((t) => t === "participant.added")).toHaveLength(1);
  });

  it("START-1: a patient who starts the chat first is joined by the staff member who starts it later", async () => {
    const { a, chat } = world;
    const byPatient = await chat.patientStartChat(a.patient, { practitionerId: a.practitioner.person.id });
    expect(byPatient.created).toBe(true);
    const byAdmin = await chat.startPatientChat(a.admin, { patientId: a.patient.person.id });
    expect(byAdmin).toMatchObject({ created: false, conversation: { id: byPatient.conversation.id } });
    await say(world, a.patient, byPatient.conversation.id, "hello");
    const list = await chat.listConversations(a.admin, { limit: 10 });
    expect(list.items.map((i) => i.conversation.id)).toEqual([byPatient.conversation.id]);
    expect(conversationsOf(world, a.clinicId)).toHaveLength(1);
  });

  it("START-1: the same set of teammates in any order reaches the same team conversation", async () => {
    const { a, chat } = world;
    const first = await chat.startTeamChat(a.admin, {
      staffIds: [a.practitioner.person.id, a.frontDesk.person.id],
    });
    expect(first.created).toBe(true);
    const reordered = await chat.startTeamChat(a.frontDesk, {
      staffIds: [a.practitioner.person.id, a.admin.person.id],
    });
    expect(reordered).toMatchObject({ created: false, conversation: { id: first.conversation.id } });
    const withDuplicatesAndSelf = await chat.startTeamChat(a.practitioner, {
      staffIds: [a.admin.person.id, a.frontDesk.person.id, a.admin.person.id, a.practitioner.person.id],
    });
    expect(withDuplicatesAndSelf).toMatchObject({
      created: false,
      conversation: { id: first.conversation.id },
    });
    expect(first.conversation.key).toBe(
      teamConversationKey([a.admin.person.id, a.practitioner.person.id, a.frontDesk.person.id]),
    );

    // A different set is a different conversation.
    const pair = await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] });
    expect(pair.created).toBe(true);
    expect(pair.conversation.id).not.toBe(first.conversation.id);
    const pairAgain = await chat.startTeamChat(a.practitioner, { staffIds: [a.admin.person.id] });
    expect(pairAgain.conversation.id).toBe(pair.conversation.id);
    expect(conversationsOf(world, a.clinicId)).toHaveLength(2);
  });
});

describe("searching people", () => {
  it("START-2: finds patients by name prefix and with one typo", async () => {
    const { a, chat } = world;
    const byPrefix = await chat.searchPeople(a.frontDesk, { kind: "patient", query: "Okon", limit: 10 });
    expect(byPrefix.map((r) => r.person.id)).toEqual([a.patient.person.id]);

    const byFirstNamePrefix = await chat.searchPeople(a.frontDesk, {
      kind: "patient",
      query: "harr",
      limit: 10,
    });
    expect(byFirstNamePrefix.map((r) => r.person.id)).toEqual([a.patient.person.id]);

    // One wrong letter.
    const withTypo = await chat.searchPeople(a.frontDesk, { kind: "patient", query: "Okonkwa", limit: 10 });
    expect(withTypo.map((r) => r.person.id)).toEqual([a.patient.person.id]);
    const firstNameTypo = await chat.searchPeople(a.frontDesk, {
      kind: "patient",
      query: "Harriat Okonkwo",
      limit: 10,
    });
    expect(firstNameTypo.map((r) => r.person.id)).toEqual([a.patient.person.id]);
    expect(firstNameTypo[0]?.startChat).toEqual({ allowed: true });

    const nothing = await chat.searchPeople(a.frontDesk, { kind: "patient", query: "Zebulon", limit: 10 });
    expect(nothing).toEqual([]);
  });

  it("START-2: one missing, extra or swapped letter is a typo too", async () => {
    const { a, chat } = world;
    for (const query of ["Hariet", "Harriet Okonkow", "Okokwo", "Harrriet"]) {
      const found = await chat.searchPeople(a.frontDesk, { kind: "patient", query, limit: 10 });
      expect(
        found.map((r) => r.person.id),
        query,
      ).toEqual([a.patient.person.id]);
    }
  });

  it("START-2: search is scoped to the actor's clinic", async () => {
    const { a, b, chat } = world;
    // Both clinics have a "Harriet Ok…"; each clinic's staff see only their own.
    const fromA = await chat.searchPeople(a.admin, { kind: "patient", query: "Harriet Ok", limit: 50 });
    expect(fromA.map((r) => r.person.id)).toEqual([a.patient.person.id]);
    const fromB = await chat.searchPeople(b.admin, { kind: "patient", query: "Harriet Ok", limit: 50 });
    expect(fromB.map((r) => r.person.id)).toEqual([b.patient.person.id]);
    // B's people are unknown to A, patients and staff alike.
    expect(await chat.searchPeople(a.admin, { kind: "patient", query: "Okafor", limit: 50 })).toEqual([]);
    expect(await chat.searchPeople(a.admin, { kind: "staff", query: "Petra Holm", limit: 50 })).toEqual([]);
  });

  it("START-2/ELIG-1: patients who cannot be messaged are listed, marked unavailable with the reason", async () => {
    const { a, chat } = world;
    const invited = await chat.searchPeople(a.practitioner, {
      kind: "patient",
      query: "Ivan Petrov",
      limit: 5,
    });
    expect(invited).toHaveLength(1);
    expect(invited[0]?.person).toMatchObject({ id: a.patientInvited.person.id, active: false });
    expect(invited[0]?.startChat).toEqual({
      allowed: false,
      reason: "PATIENT_PORTAL_INACTIVE",
      details: { portalAccount: "invited" },
    });
    const none = await chat.searchPeople(a.practitioner, { kind: "patient", query: "Nora", limit: 5 });
    expect(none[0]?.startChat).toMatchObject({ allowed: false, details: { portalAccount: "none" } });
    const disabled = await chat.searchPeople(a.practitioner, { kind: "patient", query: "Dora", limit: 5 });
    expect(disabled[0]?.startChat).toMatchObject({ allowed: false, details: { portalAccount: "disabled" } });
  });

  it("START-2: only staff search; patients are refused with FORBIDDEN", async () => {
    const { a, chat } = world;
    await refused(chat.searchPeople(a.patient, { kind: "patient", query: "Elena", limit: 5 }), "FORBIDDEN");
    await refused(chat.searchPeople(a.patient, { kind: "staff", query: "Priya", limit: 5 }), "FORBIDDEN");
  });

  it("START-2: teammate search leaves out the searcher and marks deactivated teammates unavailable", async () => {
    const { a, chat } = world;
    const bySelf = await chat.searchPeople(a.admin, { kind: "staff", query: "Ada Lovelace", limit: 5 });
    expect(bySelf.map((r) => r.person.id)).not.toContain(a.admin.person.id);
    const byOther = await chat.searchPeople(a.practitioner, {
      kind: "staff",
      query: "Ada Lovelace",
      limit: 5,
    });
    expect(byOther.map((r) => r.person.id)).toEqual([a.admin.person.id]);
    expect(byOther[0]?.startChat).toEqual({ allowed: true });
    // With the searcher as the best match and a limit of one, the next best teammate still comes back.
    const limited = await chat.searchPeople(a.practitioner, {
      kind: "staff",
      query: "Priya Raman",
      limit: 1,
    });
    expect(limited.map((r) => r.person.id)).not.toContain(a.practitioner.person.id);

    const deactivated = await chat.searchPeople(a.practitioner, { kind: "staff", query: "Greta", limit: 5 });
    expect(deactivated.map((r) => r.person.id)).toEqual([a.deactivated.person.id]);
    expect(deactivated[0]?.startChat).toMatchObject({ allowed: false, reason: "STAFF_INACTIVE" });
  });

  it("START-2/SEC-3: a search is audited without its query", async () => {
    const { a, chat } = world;
    await chat.searchPeople(a.frontDesk, { kind: "patient", query: "Harriet Okonkwo", limit: 5 });
    const trail = await auditTrail(world, a.clinicId);
    const search = trail.filter((e) => e.action === "directory.search");
    expect(search).toHaveLength(1);
    expect(search[0]).toMatchObject({ actor: a.frontDesk.person, outcome: "success", ip: a.frontDesk.ip });
    expect(JSON.stringify(trail)).not.toMatch(/Harriet|Okonkwo/);
  });

  it("START-2: a patient who becomes active is offered for a chat right away", async () => {
    const { a, chat } = world;
    await updatePatient(world, a.patientInvited, { portalAccount: "active" });
    const result = await chat.searchPeople(a.frontDesk, { kind: "patient", query: "Ivan", limit: 5 });
    expect(result[0]?.startChat).toEqual({ allowed: true });
  });
});
