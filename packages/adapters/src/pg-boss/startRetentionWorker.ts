import type { Resting } from "@clinic-chat/domain";
import type { PgBoss } from "pg-boss";
import { connectPostgres } from "../postgres/connectPostgres";
import { retentionQueueName } from "./queues";
import { retentionClinics } from "./retentionClinics";
import { timerResting } from "./timerResting";

/** A running retention worker. */
export interface RetentionWorker {
  /** Stops fetching and waits for a run in hand to finish. */
  stop(): Promise<void>;
}

/**
 * The daily retention job (REC-3): on `cron` (03:30 UTC unless set) it lists the clinics with a
 * retention period and hands each to `run` (the domain's `runRetention`, resting between its parts
 * on this process's timers), one clinic at a time; a
 * clinic that fails does not hold up the others, and the job then fails so pg-boss tries again.
 * The queue keeps one run at a time, so a slow run never overlaps the next day's.
 */
export async function startRetentionWorker(options: {
  readonly boss: PgBoss;
  /** A clinic's run, resting between its parts with `resting` (the domain's background pace). */
  readonly run: (clinicId: string, resting: Resting) => Promise<unknown>;
  /** The owner's connection URL: the clinics are listed across tenants. */
  readonly ownerUrl: string;
  readonly cron?: string;
  /** How often an idle worker looks for the job, in seconds (default 30). */
  readonly pollingIntervalSeconds?: number;
}): Promise<RetentionWorker> {
  const owner = connectPostgres(options.ownerUrl, { max: 1 });
  try {
    await options.boss.work(
      retentionQueueName,
      { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 },
      async () => {
        const clinics = await retentionClinics(owner);
        let failures = 0;
        for (const clinicId of clinics) {
          try {
            await options.run(clinicId, timerResting);
          } catch {
            failures++;
          }
        }
        if (failures > 0) throw new Error(`retention failed for ${failures} of ${clinics.length} clinics`);
        return { clinics: clinics.length };
      },
    );
    // Upserted by name: every worker process may schedule it, the cron still sends one job per day.
    await options.boss.schedule(retentionQueueName, options.cron ?? "30 3 * * *", null, { tz: "UTC" });
  } catch (error) {
    await owner.destroy();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        await options.boss.offWork(retentionQueueName, { wait: true });
        await owner.destroy();
      })();
      return stopping;
    },
  };
}
