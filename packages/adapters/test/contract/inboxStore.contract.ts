import type { Stores } from "@clinic-chat/domain";
import { defaultOfficeHours } from "@clinic-chat/domain/hours";
import { newInboxState } from "@clinic-chat/domain/inbox";
import { beforeEach, describe, expect, it } from "vitest";
import {
  at,
  newId,
  patientConversation,
  postText,
  ref,
  seedWorld,
  teamConversation,
  type UnitOfWorkFactory,
  type World,
} from "./fixtures";

/** InboxStore: inbox states on patient conversations, the views, counts, timeline and "marked unread". */
export function inboxStoreContract(factory: UnitOfWorkFactory): void {
  describe("InboxStore", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });

    /** A patient conversation with the practitioner (and the colleague when asked), written in by the patient. */
    async function written(patient = world.patient, minute = 1, withColleague = false) {
      const conversation = patientConversation(world, patient, at(0));
      const staff = withColleague
        ? [ref(world.practitioner), ref(world.colleague)]
        : [ref(world.practitioner)];
      await world.run(async (s) => {
        await s.conversations.create(conversation, [ref(patient), ...staff]);
        await postText(
          s,
          conversation.id,
          ref(patient),
          "Could I get a refill of my prescription?",
          at(minute),
        );
      });
      return conversation.id;
    }

    const listIds = (staffId: string, view: Parameters<Stores["inbox"]["list"]>[1]["view"]) =>
      world.run(async (s) =>
        (await s.inbox.list(staffId, { view, limit: 50 })).items.map((r) => r.conversation.id),
      );

    it("INBOX-1: a patient conversation never saved reads as new; Team Chat, unknown and foreign ones as null", async () => {
      const id = await written();
      const team = teamConversation(world, [world.practitioner, world.colleague]);
      await world.run((s) => s.conversations.create(team, [ref(world.practitioner), ref(world.colleague)]));
      expect(await world.run((s) => s.inbox.get(id))).toEqual(newInboxState(id));
      expect(await world.run((s) => s.inbox.get(team.id))).toBeNull();
      expect(await world.run((s) => s.inbox.get("no-such-conversation"))).toBeNull();
      expect(await world.runOther((s) => s.inbox.get(id))).toBeNull();
    });

    it("INBOX-1: keeps a state and answers it when the conversation is reserved for posting", async () => {
      const id = await written();
      const state = {
        conversationId: id,
        status: "closed" as const,
        assigneeId: world.practitioner.id,
        lastSenderKind: "patient" as const,
        lastAutoReplyAt: at(5),
      };
      const hours = { ...defaultOfficeHours("Europe/Berlin"), afterHoursReply: true };
      await world.run(async (s) => {
        await s.inbox.save(state);
        await s.clinics.saveOfficeHours(world.clinic.id, hours);
      });
      expect(await world.run((s) => s.inbox.get(id))).toEqual(state);
      const [facts] = await world.run((s) =>
        s.conversations.reserveForPosting([
          { conversationId: id, person: ref(world.patient), clientId: newId("c"), recipientsToNotify: [] },
        ]),
      );
      expect(facts?.inbox).toEqual(state);
      // HOURS-3: the clinic comes with its office hours, so a post knows whether it is open.
      expect(facts?.clinic?.officeHours).toEqual(hours);
    });

    it("INBOX-1: keeps several conversations' states at once, each as saving it alone would", async () => {
      const [first, second] = [await written(world.patient, 1), await written(world.otherPatient, 2)];
      const one = {
        ...newInboxState(first),
        assigneeId: world.practitioner.id,
        lastSenderKind: "staff" as const,
      };
      const two = { ...newInboxState(second), status: "closed" as const, lastAutoReplyAt: at(7) };
      await world.run(async (s) => {
        await s.inbox.saveAll([one, two]);
        await s.inbox.saveAll([]);
      });
      expect(await world.run((s) => Promise.all([s.inbox.get(first), s.inbox.get(second)]))).toEqual([
        one,
        two,
      ]);
      // Another clinic's unit of work changes none of them, whether it refuses or finds nothing (SEC-4).
      await world.runOther((s) => s.inbox.saveAll([{ ...one, status: "closed" }])).catch(() => undefined);
      expect(await world.run((s) => s.inbox.get(first))).toEqual(one);
    });

    it("INBOX-1: the views hold the staff member's written patient conversations, newest first", async () => {
      const first = await written(world.patient, 1);
      const second = await written(world.otherPatient, 2, true);
      // START-3: a conversation no one wrote in is in no view.
      const silent = patientConversation(world, world.patient);
      await world.run((s) =>
        s.conversations.create({ ...silent, key: newId("key") }, [ref(world.practitioner)]),
      );
      const p = world.practitioner.id;
      expect(await listIds(p, "open")).toEqual([second, first]);
      expect(await listIds(p, "unassigned")).toEqual([second, first]);
      // Who wrote last is the domain's to keep: the store knows only what was saved.
      expect(await listIds(p, "awaiting")).toEqual([]);
      expect(await listIds(world.colleague.id, "open")).toEqual([second]);
      expect(await listIds(world.admin.id, "open")).toEqual([]);

      await world.run(async (s) => {
        await s.inbox.save({ ...newInboxState(first), assigneeId: p, lastSenderKind: "patient" });
        await s.inbox.save({ ...newInboxState(second), status: "closed", lastSenderKind: "staff" });
      });
      expect(await listIds(p, "mine")).toEqual([first]);
      expect(await listIds(p, "unassigned")).toEqual([]);
      expect(await listIds(p, "awaiting")).toEqual([first]);
      expect(await listIds(p, "closed")).toEqual([second]);
      expect(await world.run((s) => s.inbox.counts(p))).toEqual({
        unassigned: 0,
        mine: 1,
        open: 1,
        awaiting: 1,
        closed: 1,
      });
      expect(await world.run((s) => s.inbox.counts(world.colleague.id))).toEqual({
        unassigned: 0,
        mine: 0,
        open: 0,
        awaiting: 0,
        closed: 1,
      });
      expect(await world.runOther((s) => s.inbox.counts(p))).toEqual({
        unassigned: 0,
        mine: 0,
        open: 0,
        awaiting: 0,
        closed: 0,
      });
    });

    it("INBOX-1: a row carries its state, members, unread count, mark and last message; pages follow the cursor", async () => {
      const first = await written(world.patient, 1);
      const second = await written(world.otherPatient, 2);
      const page1 = await world.run((s) => s.inbox.list(world.practitioner.id, { view: "open", limit: 1 }));
      expect(page1.items.map((r) => r.conversation.id)).toEqual([second]);
      const row = page1.items[0]!;
      expect(row.inbox).toEqual(newInboxState(second));
      expect(row.unreadCount).toBe(1);
      expect(row.markedUnread).toBe(false);
      expect(row.lastMessage).toEqual({
        seq: 1,
        sender: ref(world.otherPatient),
        sentAt: at(2),
        body: { kind: "text", text: "Could I get a refill of my prescription?" },
      });
      expect(row.participants).toHaveLength(2);
      const page2 = await world.run((s) =>
        s.inbox.list(world.practitioner.id, { view: "open", limit: 1, cursor: page1.nextCursor }),
      );
      expect(page2.items.map((r) => r.conversation.id)).toEqual([first]);
      expect(page2.nextCursor).toBeNull();
    });

    it("INBOX-3: marked unread is a participant's own, and nothing for a non-participant", async () => {
      const id = await written();
      await world.run(async (s) => {
        await s.inbox.setMarkedUnread(id, ref(world.practitioner), true);
        await s.inbox.setMarkedUnread(id, ref(world.admin), true);
      });
      const marked = async (staffId: string) =>
        (await world.run((s) => s.inbox.list(staffId, { view: "open", limit: 5 }))).items.map(
          (r) => r.markedUnread,
        );
      expect(await marked(world.practitioner.id)).toEqual([true]);
      expect(await marked(world.admin.id)).toEqual([]);
      await world.run((s) => s.inbox.setMarkedUnread(id, ref(world.practitioner), false));
      expect(await marked(world.practitioner.id)).toEqual([false]);
    });

    it("INBOX-2: the timeline keeps its entries in order, for its clinic only", async () => {
      const id = await written();
      const entry = (kind: "claimed" | "auto_reply", minute: number) => ({
        id: newId("t"),
        conversationId: id,
        kind,
        actor: kind === "claimed" ? ref(world.practitioner) : null,
        subjectStaffId: kind === "claimed" ? world.practitioner.id : null,
        afterSeq: 1,
        at: at(minute),
        nextOpeningAt: kind === "auto_reply" ? at(600) : null,
      });
      const entries = [entry("auto_reply", 2), entry("claimed", 3)];
      await world.run((s) => s.inbox.addTimeline(entries));
      expect(await world.run((s) => s.inbox.timeline(id))).toEqual(entries);
      expect(await world.runOther((s) => s.inbox.timeline(id))).toEqual([]);
    });
  });
}
