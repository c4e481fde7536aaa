import type { NotificationQueue, NotificationStore } from "../../notifications/ports";
import { type PersonRef, parsePersonKey } from "../../people/people";
import { type ClinicView, stateKey as stateKeyOf } from "./world";

/** Recipients' notification states and the delivery outbox of the unit of work's clinic. */
export function inMemoryNotifications(view: ClinicView): NotificationStore {
  const { world, clinicId, inClinic } = view;
  const stateKey = (person: PersonRef) => stateKeyOf(view, person);
  const store: NotificationStore = {
    async state(recipient) {
      return world.notificationStates.get(stateKey(recipient)) ?? { status: "idle" };
    },
    async saveState(recipient, state) {
      world.notificationStates.set(stateKey(recipient), state);
      // The messages of a burst that ended go with it (all of them when the recipient is at rest).
      const burst = world.burstMessages.get(stateKey(recipient));
      for (const [id, m] of burst ?? []) {
        if (state.status === "idle" || m.burstId !== state.burstId) burst?.delete(id);
      }
    },
    async saveStates(changes) {
      for (const { recipient, state } of changes) await store.saveState(recipient, state);
    },
    async joinBursts(joins) {
      for (const { recipient, burstId, message } of joins) await store.joinBurst(recipient, burstId, message);
    },
    async joinBurst(recipient, burstId, message) {
      const key = stateKey(recipient);
      const burst = world.burstMessages.get(key) ?? new Map();
      world.burstMessages.set(key, burst);
      if (burst.get(message.messageId)?.burstId !== burstId)
        burst.set(message.messageId, { ...message, burstId });
    },
    async leaveBurst(recipient, burstId, leaving) {
      const burst = world.burstMessages.get(stateKey(recipient)) ?? new Map();
      for (const [id, m] of burst) {
        const leaves =
          "messageId" in leaving
            ? id === leaving.messageId
            : m.conversationId === leaving.conversationId && m.seq <= leaving.upToSeq;
        if (leaves && m.burstId === burstId) burst.delete(id);
      }
      return [...burst.values()].filter((m) => m.burstId === burstId).length;
    },
    async burstsHolding(messageIds) {
      const prefix = `${clinicId}|`;
      const held: { person: PersonRef; messageId: string }[] = [];
      for (const [key, burst] of world.burstMessages) {
        const person = key.startsWith(prefix) ? parsePersonKey(key.slice(prefix.length)) : null;
        if (!person) continue;
        for (const messageId of messageIds) if (burst.has(messageId)) held.push({ person, messageId });
      }
      return held;
    },
    async burstSize(recipient, burstId) {
      const burst = world.burstMessages.get(stateKey(recipient)) ?? new Map();
      return [...burst.values()].filter((m) => m.burstId === burstId).length;
    },
    async burstConversations(recipient, burstId) {
      const burst = world.burstMessages.get(stateKey(recipient)) ?? new Map();
      const ids = [...burst.values()].filter((m) => m.burstId === burstId).map((m) => m.conversationId);
      return [...new Set(ids)];
    },
    async reserveStates(recipients) {
      return recipients.map(
        (recipient) => world.notificationStates.get(stateKey(recipient)) ?? { status: "idle" },
      );
    },
    async addDeliveries(deliveries) {
      for (const delivery of deliveries) {
        if (delivery.clinicId !== clinicId) throw new Error("delivery outside the unit of work's clinic");
        world.deliveries.set(delivery.id, delivery);
      }
    },
    async undelivered(burstId) {
      return [...world.deliveries.values()].filter(
        (d) => d.clinicId === clinicId && d.burstId === burstId && d.deliveredAt === null,
      );
    },
    async markDelivered(deliveryId, at) {
      const delivery = inClinic(world.deliveries.get(deliveryId));
      if (delivery) world.deliveries.set(deliveryId, { ...delivery, deliveredAt: at });
    },
  };
  return store;
}

/** Timers scheduled in the unit of work, committed with it. */
export function inMemoryNotificationQueue(view: ClinicView): NotificationQueue {
  const { world, clinicId } = view;
  return {
    async schedule(timers) {
      for (const { timer, runAt } of timers) {
        if (timer.clinicId !== clinicId) throw new Error("timer outside the unit of work's clinic");
        world.timers.push({ timer, runAt });
      }
    },
  };
}
