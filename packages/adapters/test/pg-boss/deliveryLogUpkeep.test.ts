import { randomUUID } from "node:crypto";
import { forgetOldDeliveries, webhookLimits } from "@clinic-chat/domain/webhooks";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  longDeliveryLogClinics,
  startNotificationWorker,
  uploadCleanupQueueName,
} from "../../src/pg-boss/index";
import {
  type NotificationWorld,
  patientConversation,
  type SeededClinic,
  startNotificationWorld,
  waitUntil,
} from "../notifications/support/world";

// INTEG-4: the webhook outbox does not grow for ever. The periodic upkeep (the upload cleanup's
// job) forgets each endpoint's settled deliveries past the newest the admin page shows; an event
// still waiting stays whatever its age.

let world: NotificationWorld;
beforeAll(async () => {
  world = await startNotificationWorld();
});
afterAll(async () => {
  await world?.close();
});

/** An endpoint of the clinic and `count` events for it, oldest first; all but the first delivered. */
async function deliveries(clinic: SeededClinic, count: number): Promise<{ endpointId: string }> {
  const conversationId = await patientConversation(world, clinic, "pat", ["ada"]);
  const endpointId = randomUUID();
  await world.deps.uow.run(clinic.clinicId, async (s) => {
    await s.webhooks.addEndpoint(
      {
        id: endpointId,
        clinicId: clinic.clinicId,
        url: "https://host.example/hooks",
        enabled: true,
        createdAt: world.clock.now(),
      },
      "secret",
    );
    for (let i = 0; i < count; i += 1)
      await s.webhooks.record([{ type: "conversation.started", conversationId, at: world.clock.now() }]);
  });
  await sql`update webhook_events set status = 'delivered', attempts = 1
    where clinic_id = ${clinic.clinicId} and position > (
      select min(position) from webhook_events where clinic_id = ${clinic.clinicId})`.execute(
    world.db.inspect,
  );
  return { endpointId };
}

async function rowsOf(clinicId: string) {
  const result = await sql<{
    status: string;
    position: string;
  }>`select status, position::text from webhook_events
    where clinic_id = ${clinicId} order by webhook_events.position`.execute(world.db.inspect);
  return result.rows;
}

describe("INTEG-4: the delivery log's upkeep", () => {
  it("INTEG-4: the periodic upkeep forgets settled deliveries past each endpoint's log; the log shows the same; a waiting event stays", async () => {
    const keep = webhookLimits.deliveryLogLength;
    const busy = await world.seedClinic();
    const quiet = await world.seedClinic();
    const { endpointId } = await deliveries(busy, keep + 5);
    await deliveries(quiet, 10);
    const before = await rowsOf(busy.clinicId);
    const logBefore = await world.deps.uow.run(busy.clinicId, (s) =>
      s.webhooks.deliveryLog(endpointId, keep),
    );
    expect(await longDeliveryLogClinics(world.db.owner, keep)).toEqual([busy.clinicId]);

    const worker = await startNotificationWorker({
      boss: world.boss,
      handle: async () => undefined,
      // As the API's workers run it: a clinic's uploads, then its delivery log.
      cleanup: async (clinicId) => {
        await world.chat.cleanupUnconfirmedUploads(clinicId);
        await forgetOldDeliveries(world.deps, clinicId);
      },
      ownerUrl: world.db.ownerUrl,
      clock: world.clock,
      pollingIntervalSeconds: 0.5,
    });
    try {
      await world.boss.send(uploadCleanupQueueName, null);
      await waitUntil(
        "the upkeep has run",
        () => worker.stats().cleanupRuns === 1 && worker.stats().cleanedClinics === 1,
      );
    } finally {
      await worker.stop();
    }

    const after = await rowsOf(busy.clinicId);
    // The oldest event waits still; the four delivered ones after it, past the newest 50, are gone.
    expect(after).toEqual([before[0], ...before.slice(5)]);
    expect(after[0]?.status).toBe("pending");
    expect(await world.deps.uow.run(busy.clinicId, (s) => s.webhooks.deliveryLog(endpointId, keep))).toEqual(
      logBefore,
    );
    expect((await rowsOf(quiet.clinicId)).length).toBe(10);
    expect(await longDeliveryLogClinics(world.db.owner, keep)).toEqual([]);
    // Forgetting again forgets nothing.
    expect(await forgetOldDeliveries(world.deps, busy.clinicId)).toBe(0);
  }, 60_000);
});
