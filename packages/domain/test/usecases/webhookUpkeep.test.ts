import { beforeEach, describe, expect, it } from "vitest";
import { deliverWebhooks } from "../../src/webhooks/deliverWebhooks";
import { forgetOldDeliveries } from "../../src/webhooks/forgetOldDeliveries";
import {
  listWebhookEndpoints,
  registerWebhookEndpoint,
  type WebhookAdminDeps,
} from "../../src/webhooks/manageWebhooks";
import { webhookLimits } from "../../src/webhooks/webhookRules";
import { sharedPatientConversation } from "./support/inbox";
import { createWorld, say, type World } from "./support/world";

let world: World;
let admin: WebhookAdminDeps;
beforeEach(async () => {
  world = await createWorld();
  admin = { ...world.deps, secrets: { newSecret: () => "secret" } };
});

const deliveriesKept = () => (world.uow.dump() as { webhookDeliveries: unknown[] }).webhookDeliveries.length;

/** Runs every delivery job asked for, against a receiver answering `status`. */
async function drain(status: number): Promise<void> {
  for (const job of world.uow.takeWebhookJobs())
    await deliverWebhooks(
      { uow: world.uow, clock: world.clock, sender: { send: async () => ({ statusCode: status }) } },
      job,
    );
}

describe("INTEG-4: the delivery log's upkeep", () => {
  it("INTEG-4: settled deliveries past the endpoint's log are forgotten; the log and the waiting events stay", async () => {
    const { a } = world;
    await registerWebhookEndpoint(admin, a.admin, { url: "https://host.example/hooks" });
    const id = await sharedPatientConversation(world);
    for (let i = 0; i < 30; i += 1) await say(world, a.patient, id, `question ${i}`);
    await drain(200);
    // The receiver refuses now: the newest events wait for their next attempt.
    await say(world, a.patient, id, "one more");
    await drain(503);
    const [before] = await listWebhookEndpoints(admin, a.admin);
    const total = deliveriesKept();
    expect(total).toBeGreaterThan(webhookLimits.deliveryLogLength + 2);
    expect(before?.deliveries.slice(0, 2).map((d) => d.status)).toEqual(["pending", "pending"]);

    expect(await forgetOldDeliveries(world.deps, a.clinicId)).toBe(total - webhookLimits.deliveryLogLength);
    const [after] = await listWebhookEndpoints(admin, a.admin);
    expect(after?.deliveries).toEqual(before?.deliveries);
    expect(deliveriesKept()).toBe(webhookLimits.deliveryLogLength);
    expect(await forgetOldDeliveries(world.deps, world.b.clinicId)).toBe(0);
    expect(await forgetOldDeliveries(world.deps, a.clinicId)).toBe(0);
  });
});
