import { beforeEach, describe, expect, it } from "vitest";
import { deliverWebhooks } from "../../src/webhooks/deliverWebhooks";
import {
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  registerWebhookEndpoint,
  setWebhookEnabled,
  type WebhookAdminDeps,
} from "../../src/webhooks/manageWebhooks";
import type { WebhookDelivery, WebhookSender } from "../../src/webhooks/ports";
import { type WebhookBody, webhookBody } from "../../src/webhooks/WebhookEvent";
import {
  afterAttempt,
  checkEndpointUrl,
  retryDelaySeconds,
  webhookRetryPolicy,
} from "../../src/webhooks/webhookRules";
import { sharedPatientConversation } from "./support/inbox";
import { allPatientNames, auditTrail, createWorld, refused, say, type World } from "./support/world";

let world: World;
let admin: WebhookAdminDeps;
beforeEach(async () => {
  world = await createWorld();
  let n = 0;
  admin = { ...world.deps, secrets: { newSecret: () => `secret-${++n}` } };
});

/** A receiver that answers `status()` and keeps every body it got, per endpoint. */
class Receiver implements WebhookSender {
  readonly got: { url: string; body: WebhookBody; attempt: number }[] = [];
  status: () => number | null = () => 200;
  async send(delivery: WebhookDelivery) {
    const statusCode = this.status();
    if (statusCode !== null && statusCode < 300) {
      this.got.push({ url: delivery.url, body: webhookBody(delivery.event), attempt: delivery.attempts + 1 });
    }
    if (statusCode === null) throw new Error("connection refused");
    return { statusCode };
  }
}

async function register(url = "https://host.example/hooks"): Promise<{ id: string; secret: string }> {
  const { endpoint, secret } = await registerWebhookEndpoint(admin, world.a.admin, { url });
  return { id: endpoint.id, secret };
}

/** Runs every delivery job asked for, as the worker would, until none is left that is due. */
async function drain(receiver: Receiver): Promise<void> {
  for (const job of world.uow.takeWebhookJobs()) {
    await deliverWebhooks({ uow: world.uow, clock: world.clock, sender: receiver }, job);
  }
}

async function typesOf(receiver: Receiver, conversationId: string): Promise<string[]> {
  return receiver.got.filter((g) => g.body.conversationId === conversationId).map((g) => g.body.type);
}

describe("INTEG-4 endpoints", () => {
  it("INTEG-4: only https URLs without credentials are accepted", () => {
    for (const url of [
      "https://host.example/hooks",
      "HTTPS://host.example",
      "https://127.0.0.1:8443/hooks?clinic=1",
      "https://[::1]:9/hooks",
    ])
      expect(checkEndpointUrl(url).allowed).toBe(true);
    for (const [url, problem] of [
      ["http://host.example/hooks", "not_https"],
      ["ftp://host.example", "not_https"],
      ["not a url", "not_a_url"],
      ["https://", "not_a_url"],
      ["https://host example/", "not_a_url"],
      ["https:host.example", "not_a_url"],
      ["https://u:p@host.example/", "credentials_in_url"],
      ["https://host.example:port/", "not_a_url"],
    ] as const) {
      expect(checkEndpointUrl(url)).toMatchObject({
        allowed: false,
        reason: "INVALID_INPUT",
        details: { field: "url", problem },
      });
    }
  });

  it("INTEG-4: an admin registers an endpoint; its secret is answered once; others may not", async () => {
    const { secret } = await register();
    expect(secret).toBe("secret-1");
    const [listed] = await listWebhookEndpoints(admin, world.a.admin);
    expect(listed).toMatchObject({ url: "https://host.example/hooks", enabled: true, deliveries: [] });
    expect(JSON.stringify(listed)).not.toContain("secret-1");
    await refused(
      registerWebhookEndpoint(admin, world.a.practitioner, { url: "https://x.example" }),
      "FORBIDDEN",
    );
    await refused(
      registerWebhookEndpoint(admin, world.a.admin, { url: "http://x.example" }),
      "INVALID_INPUT",
    );
    const actions = (await auditTrail(world, world.a.clinicId)).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toContain("webhook.register:success");
    expect(actions).toContain("webhook.register:denied");
  });

  it("INTEG-4: another clinic's admin neither sees nor changes the endpoint", async () => {
    const { id } = await register();
    expect(await listWebhookEndpoints(admin, world.b.admin)).toEqual([]);
    await refused(setWebhookEnabled(admin, world.b.admin, { endpointId: id, enabled: false }), "NOT_FOUND");
    await refused(deleteWebhookEndpoint(admin, world.b.admin, { endpointId: id }), "NOT_FOUND");
  });
});

describe("INTEG-4 events", () => {
  it("INTEG-4: no endpoint, nothing recorded and no job asked for", async () => {
    const id = await sharedPatientConversation(world);
    await say(world, world.a.patient, id, "hello");
    expect(world.uow.takeWebhookJobs()).toEqual([]);
  });

  it("INTEG-4: started, unread counts per staff member and patient, assigned, closed, in order", async () => {
    const { a, chat } = world;
    await register();
    const receiver = new Receiver();
    const id = await sharedPatientConversation(world);
    await say(world, a.patient, id, "MARKER-TEXT my rash is worse");
    await say(world, a.patient, id, "MARKER-TEXT second");
    await chat.markRead(a.practitioner, { conversationId: id, upToSeq: 2 });
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "claim" } });
    await chat.changeInbox(a.practitioner, { conversationId: id, change: { kind: "close" } });
    await drain(receiver);
    expect(await typesOf(receiver, id)).toEqual([
      "conversation.started",
      "unread_count.changed",
      "unread_count.changed",
      "unread_count.changed",
      "unread_count.changed",
      "unread_count.changed",
      "conversation.assigned",
      "conversation.closed",
    ]);
    const counts = receiver.got
      .filter((g) => g.body.type === "unread_count.changed")
      .map((g) => `${g.body.data.staffId ?? `patient:${g.body.data.patientId}`}=${g.body.data.unreadCount}`);
    const p = a.practitioner.person.id;
    const f = a.frontDesk.person.id;
    expect(counts).toEqual([`${p}=1`, `${f}=1`, `${p}=2`, `${f}=2`, `${p}=0`]);
    const assigned = receiver.got.find((g) => g.body.type === "conversation.assigned");
    expect(assigned?.body.data).toEqual({ assigneeStaffId: p });
    const all = JSON.stringify(receiver.got);
    expect(all).not.toContain("MARKER-TEXT");
    for (const name of allPatientNames) expect(all).not.toContain(name);
  });

  it("INTEG-4: the patient's unread count is reported when staff write", async () => {
    const { a } = world;
    await register();
    const receiver = new Receiver();
    const id = await sharedPatientConversation(world);
    await say(world, a.practitioner, id, "hello");
    await drain(receiver);
    const patientCounts = receiver.got.filter((g) => g.body.data.patientId === a.patient.person.id);
    expect(patientCounts.map((g) => g.body.data.unreadCount)).toEqual([1]);
  });

  it("INTEG-4: Team Chat and disabled endpoints hear nothing", async () => {
    const { a, chat } = world;
    const { id: endpointId } = await register();
    const team = await chat.startTeamChat(a.practitioner, { staffIds: [a.frontDesk.person.id] });
    await say(world, a.practitioner, team.conversation.id, "internal");
    expect(world.uow.takeWebhookJobs().filter((j) => j.conversationId === team.conversation.id)).toEqual([]);
    await setWebhookEnabled(admin, a.admin, { endpointId, enabled: false });
    const id = await sharedPatientConversation(world);
    await say(world, a.patient, id, "hello");
    expect(world.uow.takeWebhookJobs()).toEqual([]);
  });
});

describe("INTEG-4 delivery", () => {
  it("INTEG-4: a refusing receiver is retried with exponential back-off; later events wait behind", async () => {
    const { a, clock } = world;
    await register();
    const receiver = new Receiver();
    receiver.status = () => 500;
    const id = await sharedPatientConversation(world);
    await say(world, a.patient, id, "one");
    const [job] = world.uow.takeWebhookJobs();
    const deps = { uow: world.uow, clock, sender: receiver };
    const first = await deliverWebhooks(deps, job!);
    // One attempt of the oldest event only: the later ones of this endpoint wait behind it.
    expect(first).toMatchObject({ delivered: 0, retried: 1 });
    expect(first.nextDueAt?.getTime()).toBe(clock.now().getTime() + 10_000);
    // Not due yet: nothing is tried.
    expect(await deliverWebhooks(deps, job!)).toMatchObject({ delivered: 0, retried: 0 });
    clock.advanceSeconds(10);
    const second = await deliverWebhooks(deps, job!);
    expect(second.nextDueAt?.getTime()).toBe(clock.now().getTime() + 20_000);
    receiver.status = () => 204;
    clock.advanceSeconds(20);
    expect(await deliverWebhooks(deps, job!)).toMatchObject({ delivered: 3, nextDueAt: null });
    expect(await typesOf(receiver, id)).toEqual([
      "conversation.started",
      "unread_count.changed",
      "unread_count.changed",
    ]);
    expect(receiver.got[0]?.attempt).toBe(3);
    const [listed] = await listWebhookEndpoints(admin, a.admin);
    expect(listed?.deliveries.map((d) => [d.type, d.status, d.attempts])).toEqual([
      ["unread_count.changed", "delivered", 1],
      ["unread_count.changed", "delivered", 1],
      ["conversation.started", "delivered", 3],
    ]);
  });

  it("INTEG-4: the schedule doubles up to its ceiling and gives an event up after the last attempt", () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(webhookRetryPolicy, n))).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(webhookRetryPolicy, 40)).toBe(webhookRetryPolicy.maxDelaySeconds);
    const at = new Date();
    expect(afterAttempt(webhookRetryPolicy, 1, 200, at)).toEqual({ status: "delivered" });
    expect(afterAttempt(webhookRetryPolicy, 1, 404, at).status).toBe("pending");
    expect(afterAttempt(webhookRetryPolicy, 1, null, at).status).toBe("pending");
    expect(afterAttempt(webhookRetryPolicy, webhookRetryPolicy.maxAttempts, 500, at)).toEqual({
      status: "failed",
    });
  });

  it("INTEG-4: one endpoint's failing receiver does not hold back another endpoint", async () => {
    const { a, clock } = world;
    await register("https://down.example/hooks");
    await register("https://up.example/hooks");
    const receiver = new Receiver();
    const sender: WebhookSender = {
      send: (d) =>
        d.url.startsWith("https://down") ? Promise.resolve({ statusCode: 500 }) : receiver.send(d),
    };
    const id = await sharedPatientConversation(world);
    await say(world, a.patient, id, "one");
    for (const job of world.uow.takeWebhookJobs())
      await deliverWebhooks({ uow: world.uow, clock, sender }, job);
    expect(receiver.got.map((g) => g.url)).toEqual(Array(3).fill("https://up.example/hooks"));
  });
});

describe("INTEG-5 export", () => {
  async function conversationWithHistory(): Promise<string> {
    const { a, chat } = world;
    const id = await sharedPatientConversation(world);
    await say(world, a.patient, id, "first");
    const doomed = await say(world, a.patient, id, "MARKER-DELETED text");
    await say(world, a.practitioner, id, "reply");
    await chat.deleteMessage(a.patient, { messageId: doomed });
    return id;
  }

  it("INTEG-5: a staff participant exports every message oldest first; a deleted one keeps no content (DEL-3)", async () => {
    const { a, chat } = world;
    const id = await conversationWithHistory();
    const record = await chat.exportConversation(a.practitioner, { conversationId: id });
    expect(record.patientId).toBe(a.patient.person.id);
    expect(record.messages.map((m) => [m.seq, m.body.kind])).toEqual([
      [1, "text"],
      [2, "deleted"],
      [3, "text"],
    ]);
    expect(JSON.stringify(record.messages)).not.toContain("MARKER-DELETED");
    const trail = await auditTrail(world, a.clinicId);
    expect(trail.at(-1)).toMatchObject({
      action: "conversation.export",
      conversationId: id,
      outcome: "success",
    });
  });

  it("INTEG-5: patients, non-participants and other clinics may not export", async () => {
    const { a, b, chat } = world;
    const id = await conversationWithHistory();
    await refused(chat.exportConversation(a.patient, { conversationId: id }), "FORBIDDEN");
    await refused(chat.exportConversation(a.admin, { conversationId: id }), "NOT_FOUND");
    await refused(chat.exportConversation(b.practitioner, { conversationId: id }), "NOT_FOUND");
    const denied = (await auditTrail(world, a.clinicId)).filter(
      (e) => e.action === "conversation.export" && e.outcome === "denied",
    );
    expect(denied).toHaveLength(2);
  });

  it("INTEG-5: Team Chat belongs to no chart", async () => {
    const { a, chat } = world;
    const team = await chat.startTeamChat(a.practitioner, { staffIds: [a.frontDesk.person.id] });
    await say(world, a.practitioner, team.conversation.id, "internal");
    await refused(
      chat.exportConversation(a.practitioner, { conversationId: team.conversation.id }),
      "NOT_FOUND",
    );
  });
});
