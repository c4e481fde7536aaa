import { type PersonRef, samePerson } from "../../people/people";
import type { WebhookDelivery, WebhookEndpoint, WebhookQueue, WebhookStore } from "../../webhooks/ports";
import type { WebhookEventFacts } from "../../webhooks/WebhookEvent";
import type { ClinicView } from "./world";

/** One event waiting for, or sent to, one endpoint. */
export interface InMemoryWebhookDelivery {
  readonly clinicId: string;
  readonly endpointId: string;
  readonly event: WebhookEventFacts;
  /** Recording order: the order events reach an endpoint within a conversation (INTEG-4). */
  readonly position: number;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date;
  heldUntil: Date | null;
}

/** The clinic's webhook endpoints and its outbox of events (INTEG-4). */
export function inMemoryWebhooks(view: ClinicView): WebhookStore {
  const { world, clinicId, inClinic } = view;
  const mine = () => [...world.webhookEndpoints.values()].filter((e) => e.endpoint.clinicId === clinicId);
  const refreshClinic = () => {
    const clinic = world.clinics.get(clinicId);
    if (clinic)
      world.clinics.set(clinicId, { ...clinic, webhooksActive: mine().some((e) => e.endpoint.enabled) });
  };
  const unreadCount = (conversationId: string, person: PersonRef): number => {
    const participant = (world.participants.get(conversationId) ?? []).find((p) =>
      samePerson(p.person, person),
    );
    const readUpToSeq = participant?.readUpToSeq ?? 0;
    let count = 0;
    for (const message of world.messages.values()) {
      if (
        message.conversationId === conversationId &&
        message.seq > readUpToSeq &&
        message.body.kind !== "deleted" &&
        !samePerson(message.sender, person)
      ) {
        count++;
      }
    }
    return count;
  };
  const oldestPending = (endpointId: string, conversationId: string) =>
    world.webhookDeliveries
      .filter(
        (d) =>
          d.clinicId === clinicId &&
          d.endpointId === endpointId &&
          d.event.conversationId === conversationId &&
          d.status === "pending",
      )
      .sort((a, b) => a.position - b.position)[0];
  return {
    async endpoints() {
      return mine()
        .map((e) => e.endpoint)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    },
    async addEndpoint(endpoint, secret) {
      if (endpoint.clinicId !== clinicId) throw new Error("endpoint outside the unit of work's clinic");
      world.webhookEndpoints.set(endpoint.id, { endpoint, secret });
      refreshClinic();
    },
    async setEnabled(endpointId, enabled) {
      const found = world.webhookEndpoints.get(endpointId);
      if (!found || found.endpoint.clinicId !== clinicId) return false;
      world.webhookEndpoints.set(endpointId, { ...found, endpoint: { ...found.endpoint, enabled } });
      refreshClinic();
      return true;
    },
    async removeEndpoint(endpointId) {
      const found = world.webhookEndpoints.get(endpointId);
      if (!found || found.endpoint.clinicId !== clinicId) return false;
      world.webhookEndpoints.delete(endpointId);
      world.webhookDeliveries = world.webhookDeliveries.filter((d) => d.endpointId !== endpointId);
      refreshClinic();
      return true;
    },
    async deliveryLog(endpointId, limit) {
      return world.webhookDeliveries
        .filter((d) => d.clinicId === clinicId && d.endpointId === endpointId)
        .sort((a, b) => b.position - a.position)
        .slice(0, limit)
        .map((d) => ({
          eventId: d.event.id,
          type: d.event.type,
          conversationId: d.event.conversationId,
          status: d.status,
          attempts: d.attempts,
          lastStatusCode: d.lastStatusCode,
          createdAt: d.event.occurredAt,
          lastAttemptAt: d.lastAttemptAt,
        }));
    },
    async record(events) {
      const enabled = mine().filter((e) => e.endpoint.enabled);
      for (const draft of events) {
        if (!inClinic(world.conversations.get(draft.conversationId))) {
          throw new Error("event of a conversation outside the unit of work's clinic");
        }
        for (const { endpoint } of enabled) {
          const position = world.nextWebhookPosition++;
          const event: WebhookEventFacts = {
            id: `whe-${position}`,
            clinicId,
            type: draft.type,
            conversationId: draft.conversationId,
            person: draft.type === "unread_count.changed" ? draft.person : null,
            unreadCount:
              draft.type === "unread_count.changed" ? unreadCount(draft.conversationId, draft.person) : null,
            assigneeId: draft.type === "conversation.assigned" ? draft.assigneeId : null,
            occurredAt: draft.at,
          };
          world.webhookDeliveries.push({
            clinicId,
            endpointId: endpoint.id,
            event,
            position,
            status: "pending",
            attempts: 0,
            lastStatusCode: null,
            lastAttemptAt: null,
            nextAttemptAt: draft.at,
            heldUntil: null,
          });
        }
      }
    },
    async takeNext(conversationId, now, holdUntil) {
      const taken: WebhookDelivery[] = [];
      for (const { endpoint, secret } of mine()) {
        const next = oldestPending(endpoint.id, conversationId);
        if (!next || next.nextAttemptAt > now || (next.heldUntil && next.heldUntil > now)) continue;
        next.heldUntil = holdUntil;
        taken.push({
          event: next.event,
          endpointId: endpoint.id,
          url: endpoint.url,
          secret,
          attempts: next.attempts,
        });
      }
      return taken;
    },
    async nextDue(conversationId) {
      const due = mine()
        .map(({ endpoint }) => oldestPending(endpoint.id, conversationId)?.nextAttemptAt.getTime())
        .filter((at): at is number => at !== undefined);
      return due.length > 0 ? new Date(Math.min(...due)) : null;
    },
    async forgetSettled(keep) {
      const newest = new Map<string, number>();
      const gone = new Set<InMemoryWebhookDelivery>();
      const mine = world.webhookDeliveries
        .filter((d) => d.clinicId === clinicId)
        .sort((a, b) => b.position - a.position);
      for (const delivery of mine) {
        const rank = (newest.get(delivery.endpointId) ?? 0) + 1;
        newest.set(delivery.endpointId, rank);
        if (rank > keep && delivery.status !== "pending") gone.add(delivery);
      }
      world.webhookDeliveries = world.webhookDeliveries.filter((d) => !gone.has(d));
      return gone.size;
    },
    async recordAttempt(delivery, attempt) {
      const found = world.webhookDeliveries.find(
        (d) =>
          d.clinicId === clinicId && d.endpointId === delivery.endpointId && d.event.id === delivery.event.id,
      );
      if (!found) return;
      found.attempts++;
      found.lastStatusCode = attempt.statusCode;
      found.lastAttemptAt = attempt.at;
      found.heldUntil = null;
      found.status = attempt.step.status;
      if (attempt.step.status === "pending") found.nextAttemptAt = attempt.step.nextAttemptAt;
    },
  };
}

/** The delivery jobs asked for, for the test's own worker loop. */
export function inMemoryWebhookQueue(view: ClinicView): WebhookQueue {
  const { world, clinicId } = view;
  return {
    async schedule(jobClinicId, conversationId, runAt) {
      if (jobClinicId !== clinicId) throw new Error("job outside the unit of work's clinic");
      world.webhookJobs.push({ clinicId, conversationId, runAt: runAt ?? null });
    },
  };
}

/** The stored endpoint with its secret. */
export interface InMemoryWebhookEndpoint {
  readonly endpoint: WebhookEndpoint;
  readonly secret: string;
}
