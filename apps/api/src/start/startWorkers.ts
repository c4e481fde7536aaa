import { readFileSync } from "node:fs";
import {
  createHttpsWebhookSender,
  startBroadcastWorker,
  startFilePreviewWorker,
  startFileScanWorker,
  startNotificationWorker,
  startRetentionWorker,
  startScheduledMessageWorker,
  startWebhookWorker,
  systemClock,
} from "@clinic-chat/adapters";
import type { ClinicChat, NotificationDeps } from "@clinic-chat/domain";
import { deliverWebhooks, forgetOldDeliveries } from "@clinic-chat/domain/webhooks";
import type { PgBoss } from "pg-boss";
import type { Config } from "../config";

/** What {@link startWorkers} needs. */
export interface WorkerOptions {
  readonly boss: PgBoss;
  readonly chat: ClinicChat;
  readonly domain: NotificationDeps;
  /** The owner's URL: the upload cleanup lists the clinics across them (see startNotificationWorker). */
  readonly ownerUrl: string;
  /** Whether uploads are scanned (FILE-6): without a scanner there are no scan jobs to run. */
  readonly scanning: boolean;
  readonly config: Pick<Config, "webhookExtraCaFile">;
}

/**
 * The background work of a process that runs workers (`NOTIFICATION_WORKER` inline or only): the
 * notification timers and upload cleanup, scheduled messages (SCHED-1), broadcast turns (BCAST-1),
 * malware scans (FILE-6), webhook deliveries (INTEG-4) and image previews (FILE-7). Any number of
 * processes may run them: pg-boss hands each job to one. `stop()` ends them in reverse order.
 */
export async function startWorkers(options: WorkerOptions): Promise<{ stop(): Promise<void> }> {
  const { boss, chat, domain, config } = options;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const notifications = await startNotificationWorker({
      boss,
      handle: (timer) => chat.handleNotificationTimer(timer),
      // FILE-2 and INTEG-4: one clinic's periodic upkeep.
      cleanup: async (clinicId) => {
        await chat.cleanupUnconfirmedUploads(clinicId);
        await forgetOldDeliveries(domain, clinicId);
      },
      ownerUrl: options.ownerUrl,
    });
    stops.push(() => notifications.stop());
    // SCHED-1: any worker process sends scheduled messages when due; the domain posts each once.
    const scheduled = await startScheduledMessageWorker({
      boss,
      send: (due) => chat.sendScheduledMessage(due),
    });
    stops.push(() => scheduled.stop());
    const broadcasts = await startBroadcastWorker({
      boss,
      deliver: (turn) => chat.deliverBroadcastTurn(turn),
    });
    stops.push(() => broadcasts.stop());
    if (options.scanning) {
      const scans = await startFileScanWorker({ boss, scan: (scan) => chat.scanUploadedFile(scan) });
      stops.push(() => scans.stop());
    }
    // INTEG-4: host systems behind a private CA are trusted through WEBHOOK_EXTRA_CA_FILE.
    const sender = createHttpsWebhookSender({
      clock: systemClock,
      extraCaCerts: config.webhookExtraCaFile ? readFileSync(config.webhookExtraCaFile, "utf8") : null,
    });
    const webhooks = await startWebhookWorker({
      boss,
      deliver: (job) => deliverWebhooks({ uow: domain.uow, clock: systemClock, sender }, job),
    });
    stops.push(() => webhooks.stop());
    const previews = await startFilePreviewWorker({ boss, make: (job) => chat.makeFilePreviews(job) });
    stops.push(() => previews.stop());
    // REC-3: the daily retention run of every clinic with a period.
    const retention = await startRetentionWorker({
      boss,
      ownerUrl: options.ownerUrl,
      run: (clinicId, resting) => chat.runRetention(clinicId, { resting }),
    });
    stops.push(() => retention.stop());
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
