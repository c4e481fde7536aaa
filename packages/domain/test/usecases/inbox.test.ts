import { beforeEach, describe, expect, it } from "vitest";
import type { InboxView } from "../../src/inbox/InboxState";
import type { Actor } from "../../src/people/people";
import { inboxCounts, inboxIds, sharedPatientConversation } from "./support/inbox";
import {
  auditTrail,
  createWorld,
  eventLog,
  refused,
  runTimers,
  say,
  updateStaff,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

const sharedConversation = () => sharedPatientConversation(world);
const counts = (who: Actor) => inboxCounts(world, who);
const ids = (who: Actor, view: InboxView) => inboxIds(world, who, view);

describe("INBOX-1 open and closed, assignee, the five views", () => {
  it("INBOX-1: a patient's message puts the conversation in Unassigned, Open and Awaiting reply", async () => {
    const { a } = world;
    const id = await sharedConversation();
    // START-3: not written in yet, in no view.
    expect(await counts(a.frontDesk)).toEqual({ unassigned: 0, mine: 0, open: 0, awaiting: 0, closed: 0 });
    await say(world, a.patient, id, "Could I get a refill?");
    expect(await counts(a.frontDesk)).toEqual({ unassigned: 1, mine: 0, open: 1, awaiting: 1, closed: 0 });
    expect(await ids(a.frontDesk, "awaiting")).toEqual([id]);
  });

  it("INBOX-1: a staff reply ends Awaiting reply; the patient's next message starts it again", async () => {
    const { a } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    await say(world, a.practitioner, id, "hi");
    expect((await counts(a.frontDesk)).awaiting).toBe(0);
    await say(world, a.patient, id, "one more thing");
    expect((await counts(a.frontDesk)).awaiting).toBe(1);
  });

  it("INBOX-1: claim moves it from Unassigned to the claimer's Mine; others see it assigned", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    const state = await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "claim" } });
    expect(state.assigneeId).toBe(a.practitioner.person.id);
    expect(await ids(a.practitioner, "mine")).toEqual([id]);
    expect(await ids(a.frontDesk, "mine")).toEqual([]);
    expect(await ids(a.frontDesk, "unassigned")).toEqual([]);
    const row = (await chat.listInbox(a.frontDesk, { view: "open", limit: 10 })).items[0];
    expect(row?.assigneeId).toBe(a.practitioner.person.id);
  });

  it("INBOX-1: the assignee must be an active staff participant", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    // The admin takes no part in it; the patient is not staff; a deactivated member cannot act.
    await refused(
      chat.changeInbox(a.practitioner, {
        conversationId: id,
        change: { kind: "assign", staffId: a.admin.person.id },
      }),
      "NOT_A_PARTICIPANT",
    );
    await refused(
      chat.changeInbox(a.practitioner, {
        conversationId: id,
        change: { kind: "assign", staffId: a.patient.person.id },
      }),
      "NOT_A_PARTICIPANT",
    );
    await updateStaff(world, a.frontDesk, { active: false });
    await refused(
      chat.changeInbox(a.practitioner, {
        conversationId: id,
        change: { kind: "assign", staffId: a.frontDesk.person.id },
      }),
      "STAFF_INACTIVE",
    );
    // A non-participant cannot even see it; a patient has no inbox.
    await refused(chat.changeInbox(a.admin, { conversationId: id, change: { kind: "claim" } }), "NOT_FOUND");
    await refused(
      chat.changeInbox(a.patient, { conversationId: id, change: { kind: "close" } }),
      "FORBIDDEN",
    );
    await refused(chat.listInbox(a.patient, { view: "open", limit: 10 }), "FORBIDDEN");
  });

  it("INBOX-1: closing moves it to Closed and out of Awaiting reply; reopening brings it back", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    await chat.changeInbox(a.frontDesk, { conversationId: id, change: { kind: "close" } });
    expect(await counts(a.frontDesk)).toEqual({ unassigned: 0, mine: 0, open: 0, awaiting: 0, closed: 1 });
    await chat.changeInbox(a.frontDesk, { conversationId: id, change: { kind: "reopen" } });
    expect(await counts(a.frontDesk)).toEqual({ unassigned: 1, mine: 0, open: 1, awaiting: 1, closed: 0 });
  });

  it("INBOX-1: rows carry the last message's preview and sender, and the unread total", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, `Refill please ${"x".repeat(300)}`);
    const page = await chat.listInbox(a.frontDesk, { view: "open", limit: 10 });
    const row = page.items[0]!;
    expect(row.lastMessage?.sender).toEqual(a.patient.person);
    expect(row.lastMessage?.preview.kind).toBe("text");
    const preview = row.lastMessage?.preview as { text: string };
    expect(preview.text.startsWith("Refill please")).toBe(true);
    expect([...preview.text]).toHaveLength(140);
    expect(row.unreadCount).toBe(1);
    expect(page.totalUnread).toBe(1);
    expect(page.people.map((p) => p.id).sort()).toEqual(
      [a.frontDesk.person.id, a.patient.person.id, a.practitioner.person.id].sort(),
    );
  });

  it("INBOX-1: Team Chat has no inbox", async () => {
    const { a, chat } = world;
    const { conversation } = await chat.startTeamChat(a.practitioner, { staffIds: [a.frontDesk.person.id] });
    await say(world, a.frontDesk, conversation.id, "lunch?");
    expect((await counts(a.practitioner)).open).toBe(0);
    await refused(
      chat.changeInbox(a.practitioner, { conversationId: conversation.id, change: { kind: "close" } }),
      "NOT_FOUND",
    );
  });
});

describe("INBOX-2 audited, live, in the timeline; a patient's message reopens", () => {
  it("INBOX-2: each change is audited, appended as a live event and shown in the timeline", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    const eventsBefore = (await eventLog(world, a.clinicId)).length;
    await chat.changeInbox(a.frontDesk, { conversationId: id, change: { kind: "claim" } });
    await chat.changeInbox(a.frontDesk, {
      conversationId: id,
      change: { kind: "assign", staffId: a.practitioner.person.id },
    });
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "unassign" } });
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "close" } });
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "reopen" } });
    const trail = (await auditTrail(world, a.clinicId)).filter(
      (r) => r.action.startsWith("inbox.") && r.action !== "inbox.list",
    );
    expect(trail.map((r) => [r.action, r.outcome, r.conversationId])).toEqual([
      ["inbox.claim", "success", id],
      ["inbox.assign", "success", id],
      ["inbox.unassign", "success", id],
      ["inbox.close", "success", id],
      ["inbox.reopen", "success", id],
    ]);
    expect(trail[1]?.subject).toEqual(a.practitioner.person);
    const events = (await eventLog(world, a.clinicId)).slice(eventsBefore);
    expect(events.map((e) => [e.type, e.conversationId, e.person?.id])).toEqual([
      ["inbox.changed", id, a.frontDesk.person.id],
      ["inbox.changed", id, a.frontDesk.person.id],
      ["inbox.changed", id, a.practitioner.person.id],
      ["inbox.changed", id, a.practitioner.person.id],
      ["inbox.changed", id, a.practitioner.person.id],
    ]);
    const { entries, inbox } = await chat.readTimeline(a.frontDesk, { conversationId: id });
    expect(entries.map((e) => [e.kind, e.actor?.id, e.subjectStaffId])).toEqual([
      ["participant_added", a.practitioner.person.id, a.frontDesk.person.id],
      ["claimed", a.frontDesk.person.id, a.frontDesk.person.id],
      ["assigned", a.frontDesk.person.id, a.practitioner.person.id],
      ["unassigned", a.practitioner.person.id, null],
      ["closed", a.practitioner.person.id, null],
      ["reopened", a.practitioner.person.id, null],
    ]);
    expect(inbox).toEqual({ status: "open", assigneeId: null, awaitingReply: true });
  });

  it("INBOX-2: a refused change is audited as denied and changes nothing", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await refused(
      chat.changeInbox(a.practitioner, {
        conversationId: id,
        change: { kind: "assign", staffId: a.admin.person.id },
      }),
      "NOT_A_PARTICIPANT",
    );
    const last = (await auditTrail(world, a.clinicId)).at(-1);
    expect([last?.action, last?.outcome, last?.reason]).toEqual([
      "inbox.assign",
      "denied",
      "NOT_A_PARTICIPANT",
    ]);
    expect(
      (await chat.readTimeline(a.practitioner, { conversationId: id })).entries.map((e) => e.kind),
    ).toEqual(["participant_added"]);
  });

  it("INBOX-2: a patient's message reopens a closed conversation, with its timeline entry and live event", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "claim" } });
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "close" } });
    const eventsBefore = (await eventLog(world, a.clinicId)).length;
    await say(world, a.patient, id, "one more question");
    expect(await ids(a.practitioner, "mine")).toEqual([id]);
    expect((await counts(a.practitioner)).closed).toBe(0);
    const events = (await eventLog(world, a.clinicId)).slice(eventsBefore).map((e) => e.type);
    expect(events).toEqual(["message.posted", "inbox.changed"]);
    const entries = (await chat.readTimeline(a.practitioner, { conversationId: id })).entries;
    expect(entries.at(-1)).toMatchObject({ kind: "reopened", actor: a.patient.person, afterSeq: 2 });
  });

  it("INBOX-2: a staff message into a closed conversation leaves it closed", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "thanks, all good");
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "close" } });
    await say(world, a.practitioner, id, "take care");
    expect(await counts(a.practitioner)).toMatchObject({ open: 0, closed: 1, awaiting: 0 });
  });

  it("INBOX-2: the patient sees no inbox entries and no inbox events", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "claim" } });
    expect(await chat.readTimeline(a.patient, { conversationId: id })).toEqual({ entries: [], inbox: null });
    const { canSeeEvent } = await import("../../src/live/subscriberPolicy");
    const changed = (await eventLog(world, a.clinicId)).find((e) => e.type === "inbox.changed")!;
    const membership = new Set([id]);
    expect(
      canSeeEvent({ clinicId: a.clinicId, person: a.patient.person, membership, seesChat: true }, changed),
    ).toBe(false);
    expect(
      canSeeEvent({ clinicId: a.clinicId, person: a.frontDesk.person, membership, seesChat: true }, changed),
    ).toBe(true);
  });
});

describe("INBOX-3 mark unread for oneself", () => {
  it("INBOX-3: marked unread shows for that staff member only, until they read it", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    await chat.markRead(a.frontDesk, { conversationId: id, upToSeq: 1 });
    await chat.markUnread(a.frontDesk, { conversationId: id });
    const mine = (await chat.listInbox(a.frontDesk, { view: "open", limit: 10 })).items[0];
    const theirs = (await chat.listInbox(a.practitioner, { view: "open", limit: 10 })).items[0];
    expect([mine?.markedUnread, mine?.unreadCount]).toEqual([true, 0]);
    expect(theirs?.markedUnread).toBe(false);
    const marked = (await auditTrail(world, a.clinicId)).filter((r) => r.action === "inbox.mark_unread");
    expect(marked.map((r) => [r.actor, r.conversationId, r.outcome])).toEqual([
      [a.frontDesk.person, id, "success"],
    ]);
    await chat.markRead(a.frontDesk, { conversationId: id, upToSeq: 1 });
    expect((await chat.listInbox(a.frontDesk, { view: "open", limit: 10 })).items[0]?.markedUnread).toBe(
      false,
    );
  });
});

describe("INBOX-4 a patient's message notifies the assignee only", () => {
  const emailOf = (who: Actor) => world.a.staff.find((s) => s.id === who.person.id)!.email;

  it("INBOX-4: unassigned, every staff participant is emailed (NOTIF-3)", async () => {
    const { a } = world;
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello");
    await runTimers(world);
    expect(world.email.recipients().sort()).toEqual([emailOf(a.frontDesk), emailOf(a.practitioner)].sort());
  });

  it("INBOX-4: assigned, only the assignee is emailed", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await chat.changeInbox(a.frontDesk, { conversationId: id, change: { kind: "claim" } });
    await say(world, a.patient, id, "hello");
    await runTimers(world);
    expect(world.email.recipients()).toEqual([emailOf(a.frontDesk)]);
  });

  it("INBOX-4: an assignee deactivated since leaves the notification to the other staff participants", async () => {
    const { a, chat } = world;
    const id = await sharedConversation();
    await chat.changeInbox(a.frontDesk, { conversationId: id, change: { kind: "claim" } });
    await updateStaff(world, a.frontDesk, { active: false });
    await say(world, a.patient, id, "hello");
    await runTimers(world);
    expect(world.email.recipients()).toEqual([emailOf(a.practitioner)]);
  });
});
