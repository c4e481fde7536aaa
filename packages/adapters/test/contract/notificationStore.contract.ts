import type { NotificationDelivery, NotificationState } from "@clinic-chat/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { at, newId, ref, seedWorld, type UnitOfWorkFactory, type World } from "./fixtures";

/** NotificationStore: per-recipient burst state (NOTIF-1) and the delivery outbox (NOTIF-5). */
export function notificationStoreContract(factory: UnitOfWorkFactory): void {
  describe("NotificationStore", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });
    const pending = (): NotificationState => ({
      status: "pending",
      burstId: newId("burst"),
      dueAt: at(2),
    });
    const delivery = (burstId: string, channel: "email" | "sms", minute: number): NotificationDelivery => ({
      id: newId("delivery"),
      clinicId: world.clinic.id,
      burstId,
      recipient: ref(world.patient),
      channel,
      to: channel === "email" ? "jane@example.test" : "+15550100",
      payload: {
        subject: "New secure message",
        text: "You have a new secure message from Lakeside Clinic. Sign in to read it.",
        clinicName: "Lakeside Clinic",
        link: "https://portal.example.test/sign-in",
      },
      createdAt: at(minute),
      deliveredAt: null,
    });

    it("NOTIF-1: a recipient is idle until a state is saved, and the saved state reads back", async () => {
      const recipient = ref(world.patient);
      expect(await world.run((s) => s.notifications.state(recipient))).toEqual({ status: "idle" });
      const state = pending();
      await world.run(async (s) => {
        await s.notifications.state(recipient);
        await s.notifications.saveState(recipient, state);
      });
      expect(await world.run((s) => s.notifications.state(recipient))).toEqual(state);
      expect(await world.run((s) => s.notifications.state(ref(world.practitioner)))).toEqual({
        status: "idle",
      });
      await world.run((s) => s.notifications.saveState(recipient, { status: "idle" }));
      expect(await world.run((s) => s.notifications.state(recipient))).toEqual({ status: "idle" });
    });

    it("NOTIF-1: reserveStates answers each recipient's state in the order given, idle when none is stored", async () => {
      const state = pending();
      await world.run((s) => s.notifications.saveState(ref(world.patient), state));
      const people = [ref(world.practitioner), ref(world.patient), ref(world.colleague), ref(world.patient)];
      expect(await world.run((s) => s.notifications.reserveStates(people))).toEqual([
        { status: "idle" },
        state,
        { status: "idle" },
        state,
      ]);
      expect(await world.run((s) => s.notifications.reserveStates([]))).toEqual([]);
      // Another clinic's unit of work sees none of it (SEC-4).
      expect(await world.runOther((s) => s.notifications.reserveStates([ref(world.patient)]))).toEqual([
        { status: "idle" },
      ]);
      expect(await world.run((s) => s.notifications.state(ref(world.patient)))).toEqual(state);
    });

    it("NOTIF-1: a burst holds each message that joins it once, and its size counts them", async () => {
      const recipient = ref(world.patient);
      const state = pending();
      if (state.status !== "pending") throw new Error("unreachable");
      const conversationId = newId("conv");
      const first = { messageId: newId("msg"), conversationId, seq: 1 };
      const second = { messageId: newId("msg"), conversationId, seq: 2 };
      await world.run(async (s) => {
        await s.notifications.reserveStates([recipient]);
        await s.notifications.saveState(recipient, state);
        await s.notifications.joinBurst(recipient, state.burstId, first);
        await s.notifications.joinBurst(recipient, state.burstId, second);
        // Delivered twice (at least once): still one entry.
        await s.notifications.joinBurst(recipient, state.burstId, first);
      });
      expect(await world.run((s) => s.notifications.burstSize(recipient, state.burstId))).toBe(2);
      expect(await world.run((s) => s.notifications.burstSize(recipient, newId("burst")))).toBe(0);
      expect(await world.run((s) => s.notifications.burstSize(ref(world.practitioner), state.burstId))).toBe(
        0,
      );
      // Another clinic sees none of it (SEC-4).
      expect(await world.runOther((s) => s.notifications.burstSize(recipient, state.burstId))).toBe(0);
      // NOTIF-4: its conversations, each once, for the notification's link.
      expect(await world.run((s) => s.notifications.burstConversations(recipient, state.burstId))).toEqual([
        conversationId,
      ]);
      expect(
        await world.runOther((s) => s.notifications.burstConversations(recipient, state.burstId)),
      ).toEqual([]);
    });

    it("NOTIF-1: several recipients' states and burst messages are saved at once, as one by one: a new burst ends the one before, coming to rest ends it", async () => {
      const [patient, practitioner] = [ref(world.patient), ref(world.practitioner)];
      const [before, next] = [pending(), pending()];
      if (before.status !== "pending" || next.status !== "pending") throw new Error("unreachable");
      const conversationId = newId("conv");
      const message = (seq: number) => ({ messageId: newId("msg"), conversationId, seq });
      const [old1, old2, new1, new2] = [message(1), message(2), message(3), message(4)];
      await world.run(async (s) => {
        await s.notifications.reserveStates([patient, practitioner]);
        await s.notifications.saveStates([
          { recipient: patient, state: before },
          { recipient: practitioner, state: before },
        ]);
        await s.notifications.joinBursts([
          { recipient: patient, burstId: before.burstId, message: old1 },
          { recipient: practitioner, burstId: before.burstId, message: old2 },
        ]);
      });
      await world.run(async (s) => {
        await s.notifications.reserveStates([patient, practitioner]);
        await s.notifications.saveStates([
          { recipient: patient, state: next },
          { recipient: practitioner, state: { status: "idle" } },
        ]);
        await s.notifications.joinBursts([
          { recipient: patient, burstId: next.burstId, message: new1 },
          { recipient: patient, burstId: next.burstId, message: new2 },
        ]);
        await s.notifications.saveStates([]);
        await s.notifications.joinBursts([]);
      });
      expect(await world.run((s) => s.notifications.reserveStates([patient, practitioner]))).toEqual([
        next,
        { status: "idle" },
      ]);
      expect(await world.run((s) => s.notifications.burstSize(patient, next.burstId))).toBe(2);
      expect(await world.run((s) => s.notifications.burstSize(patient, before.burstId))).toBe(0);
      expect(await world.run((s) => s.notifications.burstSize(practitioner, before.burstId))).toBe(0);
      // Another clinic's unit of work writes none of it (SEC-4).
      expect(await world.runOther((s) => s.notifications.burstSize(patient, next.burstId))).toBe(0);
    });

    it("NOTIF-2 DEL-4: leaving a burst drops the named messages and answers how many remain", async () => {
      const recipient = ref(world.patient);
      const state = pending();
      if (state.status !== "pending") throw new Error("unreachable");
      const [a, b] = [newId("conv"), newId("conv")];
      const messages = [
        { messageId: newId("msg"), conversationId: a, seq: 1 },
        { messageId: newId("msg"), conversationId: a, seq: 2 },
        { messageId: newId("msg"), conversationId: a, seq: 3 },
        { messageId: newId("msg"), conversationId: b, seq: 1 },
      ] as const;
      await world.run(async (s) => {
        await s.notifications.reserveStates([recipient]);
        await s.notifications.saveState(recipient, state);
        for (const m of messages) await s.notifications.joinBurst(recipient, state.burstId, m);
      });
      // Reading conversation a up to 2 takes its first two; b's and a's third remain.
      expect(
        await world.run((s) =>
          s.notifications.leaveBurst(recipient, state.burstId, { conversationId: a, upToSeq: 2 }),
        ),
      ).toBe(2);
      // Another clinic can take nothing away (SEC-4), nor can another burst's id.
      expect(
        await world.runOther((s) =>
          s.notifications.leaveBurst(recipient, state.burstId, { messageId: messages[3].messageId }),
        ),
      ).toBe(0);
      expect(
        await world.run((s) =>
          s.notifications.leaveBurst(recipient, newId("burst"), { messageId: messages[3].messageId }),
        ),
      ).toBe(0);
      expect(await world.run((s) => s.notifications.burstSize(recipient, state.burstId))).toBe(2);
      // A deleted message leaves; deleting it again changes nothing.
      expect(
        await world.run((s) =>
          s.notifications.leaveBurst(recipient, state.burstId, { messageId: messages[3].messageId }),
        ),
      ).toBe(1);
      expect(
        await world.run((s) =>
          s.notifications.leaveBurst(recipient, state.burstId, { messageId: messages[3].messageId }),
        ),
      ).toBe(1);
      expect(
        await world.run((s) =>
          s.notifications.leaveBurst(recipient, state.burstId, { conversationId: a, upToSeq: 3 }),
        ),
      ).toBe(0);
    });

    it("DEL-4: who holds which of some messages in a burst, of this clinic only", async () => {
      const [patient, staff] = [ref(world.patient), ref(world.practitioner)];
      const state = pending();
      if (state.status !== "pending") throw new Error("unreachable");
      const conversationId = newId("conv");
      const [m1, m2, m3] = [1, 2, 3].map((seq) => ({ messageId: newId("msg"), conversationId, seq }));
      await world.run(async (s) => {
        await s.notifications.reserveStates([patient, staff]);
        await s.notifications.saveState(patient, state);
        await s.notifications.saveState(staff, state);
        await s.notifications.joinBurst(patient, state.burstId, m1!);
        await s.notifications.joinBurst(patient, state.burstId, m2!);
        await s.notifications.joinBurst(staff, state.burstId, m2!);
      });
      const held = await world.run((s) =>
        s.notifications.burstsHolding([m1!.messageId, m2!.messageId, m3!.messageId]),
      );
      const key = (h: { person: { kind: string; id: string }; messageId: string }) =>
        `${h.person.kind}:${h.person.id}:${h.messageId}`;
      expect(held.map(key).sort()).toEqual(
        [
          { person: patient, messageId: m1!.messageId },
          { person: patient, messageId: m2!.messageId },
          { person: staff, messageId: m2!.messageId },
        ]
          .map(key)
          .sort(),
      );
      expect(await world.run((s) => s.notifications.burstsHolding([m3!.messageId]))).toEqual([]);
      expect(await world.runOther((s) => s.notifications.burstsHolding([m1!.messageId]))).toEqual([]);
    });

    it("NOTIF-1: a burst's messages end with it: saving idle, or a new burst, forgets them", async () => {
      const recipient = ref(world.patient);
      const first = pending();
      const next = pending();
      if (first.status !== "pending" || next.status !== "pending") throw new Error("unreachable");
      const message = { messageId: newId("msg"), conversationId: newId("conv"), seq: 4 };
      await world.run(async (s) => {
        await s.notifications.reserveStates([recipient]);
        await s.notifications.saveState(recipient, first);
        await s.notifications.joinBurst(recipient, first.burstId, message);
      });
      await world.run((s) => s.notifications.saveState(recipient, { status: "idle" }));
      expect(await world.run((s) => s.notifications.burstSize(recipient, first.burstId))).toBe(0);
      await world.run(async (s) => {
        await s.notifications.saveState(recipient, first);
        await s.notifications.joinBurst(recipient, first.burstId, message);
      });
      await world.run((s) => s.notifications.saveState(recipient, next));
      expect(await world.run((s) => s.notifications.burstSize(recipient, first.burstId))).toBe(0);
      expect(await world.run((s) => s.notifications.state(recipient))).toEqual(next);
    });

    it("NOTIF-5: deliveries are recorded, listed per burst until delivered", async () => {
      const burstId = newId("burst");
      const email = delivery(burstId, "email", 1);
      const sms = delivery(burstId, "sms", 2);
      const elsewhere = delivery(newId("burst"), "email", 3);
      await world.run((s) => s.notifications.addDeliveries([email, sms, elsewhere]));
      await world.run((s) => s.notifications.addDeliveries([]));
      expect(await world.run((s) => s.notifications.undelivered(burstId))).toEqual([email, sms]);
      await world.run((s) => s.notifications.markDelivered(email.id, at(5)));
      expect(await world.run((s) => s.notifications.undelivered(burstId))).toEqual([sms]);
    });

    it("ELIG-5: another clinic sees neither the state nor the outbox", async () => {
      const recipient = ref(world.patient);
      const state = pending();
      const burstId = newId("burst");
      const email = delivery(burstId, "email", 1);
      await world.run(async (s) => {
        await s.notifications.saveState(recipient, state);
        await s.notifications.addDeliveries([email]);
      });
      await world.runOther(async (s) => {
        expect(await s.notifications.state(recipient)).toEqual({ status: "idle" });
        expect(await s.notifications.undelivered(burstId)).toEqual([]);
        await s.notifications.markDelivered(email.id, at(3));
      });
      expect(await world.run((s) => s.notifications.state(recipient))).toEqual(state);
      expect(await world.run((s) => s.notifications.undelivered(burstId))).toEqual([email]);
      await expect(world.runOther((s) => s.notifications.addDeliveries([email]))).rejects.toThrow();
    });
  });
}
