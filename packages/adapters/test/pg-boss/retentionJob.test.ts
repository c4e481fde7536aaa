import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retentionClinics, retentionQueueName, startRetentionWorker } from "../../src/pg-boss/index";
import { type NotificationWorld, startNotificationWorld, waitUntil } from "../notifications/support/world";

let world: NotificationWorld;

beforeAll(async () => {
  world = await startNotificationWorld();
});

afterAll(async () => {
  await world?.close();
});

describe("the daily retention job (REC-3)", () => {
  it("REC-3: scheduled daily; each run hands every clinic with a retention period to the domain, once", async () => {
    const [kept, purged, other] = await Promise.all([
      world.seedClinic(),
      world.seedClinic(),
      world.seedClinic(),
    ]);
    for (const clinic of [purged, other]) {
      const admin = clinic.staff.ada!.actor.person.id;
      await world.deps.uow.run(clinic.clinicId, (s) =>
        s.records.saveRetention({
          period: { amount: 1, unit: "years" },
          setBy: admin,
          setAt: world.clock.now(),
        }),
      );
    }
    expect(await retentionClinics(world.db.owner)).toEqual(
      expect.arrayContaining([purged.clinicId, other.clinicId]),
    );
    expect(await retentionClinics(world.db.owner)).not.toContain(kept.clinicId);

    const called: string[] = [];
    const worker = await startRetentionWorker({
      boss: world.boss,
      ownerUrl: world.db.ownerUrl,
      pollingIntervalSeconds: 0.5,
      run: async (clinicId) => {
        called.push(clinicId);
        return world.chat.runRetention(clinicId);
      },
    });
    try {
      const [schedule] = await world.boss.getSchedules(retentionQueueName);
      expect(schedule?.cron).toBe("30 3 * * *");
      await world.boss.send(retentionQueueName, null);
      await waitUntil("the retention job has completed", async () => {
        const result = await sql<{ state: string }>`
          select state::text as state from pgboss.job where name = ${retentionQueueName}`.execute(
          world.db.owner,
        );
        return result.rows.length > 0 && result.rows.every((row) => row.state === "completed");
      });
    } finally {
      await worker.stop();
    }
    expect(called.filter((id) => [kept, purged, other].some((c) => c.clinicId === id)).sort()).toEqual(
      [purged.clinicId, other.clinicId].sort(),
    );
    for (const clinic of [purged, other]) {
      const runs = await world.deps.uow.run(clinic.clinicId, (s) =>
        s.audit.list({ limit: 10, action: "retention.run" }),
      );
      expect(runs.items).toHaveLength(1);
    }
  });

  it("refuses to list the clinics through a role that row-level security would blind", async () => {
    await expect(retentionClinics(world.db.app)).rejects.toThrow("needs the owner's connection");
  });
});
