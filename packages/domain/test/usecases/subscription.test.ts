import { beforeEach, describe, expect, it } from "vitest";
import {
  createWorld,
  eventLog,
  patientConversation,
  say,
  updatePatient,
  updateStaff,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

describe("a live subscriber's standing and events, read through the unit of work", () => {
  it("ELIG-6: the standing follows the directory: deactivation and a disabled portal account end it", async () => {
    const { a, chat } = world;
    expect(await chat.subscriberStanding(a.frontDesk)).toEqual({ allowed: true, seesChat: true });
    expect(await chat.subscriberStanding(a.patient)).toEqual({ allowed: true, seesChat: true });
    await updateStaff(world, a.frontDesk, { active: false });
    await updatePatient(world, a.patient, { portalAccount: "disabled" });
    expect(await chat.subscriberStanding(a.frontDesk)).toEqual({ allowed: false, reason: "STAFF_INACTIVE" });
    expect(await chat.subscriberStanding(a.patient)).toEqual({
      allowed: false,
      reason: "PATIENT_PORTAL_INACTIVE",
    });
  });

  it("ENT-4 ENT-3: when the clinic pauses patient chat, patients keep their conversations' events (read-only), as staff do", async () => {
    const { a, chat } = world;
    await chat.changeClinicSettings(a.admin, { patientChatEnabled: false });
    expect(await chat.subscriberStanding(a.patient)).toEqual({ allowed: true, seesChat: true });
    expect(await chat.subscriberStanding(a.practitioner)).toEqual({ allowed: true, seesChat: true });
  });

  it("ELIG-5: someone of another clinic has no standing here", async () => {
    const { a, b, chat } = world;
    expect(await chat.subscriberStanding({ ...b.patient, clinicId: a.clinicId })).toEqual({
      allowed: false,
      reason: "NOT_FOUND",
    });
  });

  it("ELIG-4: of new conversations, only those the person takes part in are theirs", async () => {
    const { a, chat } = world;
    const mine = await patientConversation(world, a.practitioner, a.patient);
    const theirs = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    expect(await chat.conversationsJoinedOf(a.patient, [mine, theirs, "unknown"])).toEqual([mine]);
    expect(await chat.conversationsJoinedOf(a.practitioner, [mine, theirs])).toEqual([mine, theirs]);
    expect(await chat.conversationsJoinedOf(a.patient, [])).toEqual([]);
  });

  it("MSG-2 MSG-3 ELIG-5: a catch-up page holds the clinic's own events only; the unread total is the person's", async () => {
    const { a, b, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.practitioner, conversationId, "hello");
    await patientConversation(world, b.practitioner, b.patient);
    const log = await eventLog(world, a.clinicId);
    const page = await chat.eventsAfter(a.patient, 0, 100);
    expect(page).toEqual(log);
    expect(page.every((event) => event.clinicId === a.clinicId)).toBe(true);
    expect(await chat.eventsAfter(a.patient, log[0]!.id, 1)).toEqual([log[1]]);
    expect(await chat.unreadTotal(a.patient)).toBe(1);
    expect(await chat.unreadTotal(a.practitioner)).toBe(0);
  });
});
