import type { ScheduledDue, ScheduledMessageQueue } from "@clinic-chat/domain/scheduled";
import type { Job, PgBoss } from "pg-boss";
import type { Statements } from "../postgres/Statements";
import { scheduledMessageQueueName } from "./queues";

/** Ids longer than this are not ours. */
const maxIdLength = 200;

/**
 * The domain's ScheduledMessageQueue on pg-boss (SCHED-1): the entry is inserted through the unit
 * of work's own transaction, so it commits with the scheduled message or not at all, and waits
 * until its time. One entry per message and time: an edit to another time adds one for the new
 * time, and the old one finds the message not yet due. Ids only, never the text.
 */
export function pgBossScheduledMessageQueue(boss: PgBoss): (statements: Statements) => ScheduledMessageQueue {
  return (statements) => {
    const db = {
      async executeSql(text: string, values?: unknown[]) {
        await statements.write(text, values ?? []);
        return { rows: [] };
      },
    };
    return {
      async schedule(due) {
        const sendAt = due.sendAt.toISOString();
        await boss.send(
          scheduledMessageQueueName,
          { clinicId: due.clinicId, scheduledId: due.scheduledId, sendAt },
          { startAfter: due.sendAt, singletonKey: `${due.clinicId}|${due.scheduledId}|${sendAt}`, db },
        );
      },
    };
  };
}

/** A running scheduled message worker. */
export interface ScheduledMessageWorker {
  /** Attempts that failed and wait for a retry, since the start. */
  retried(): number;
  /** Stops fetching and waits for the messages in hand to finish. */
  stop(): Promise<void>;
}

/**
 * Works the scheduled message queue (SCHED-1) in any worker process: pg-boss hands each entry to
 * one worker at a time, and the domain's `sendScheduledMessage` posts it once whatever the number
 * of attempts. An attempt that throws (the database gone, the email provider down) fails its
 * entry, which pg-boss retries with back-off; one whose worker dies is retried once it expires.
 */
export async function startScheduledMessageWorker(options: {
  readonly boss: PgBoss;
  readonly send: (due: ScheduledDue) => Promise<unknown>;
  /** How often an idle worker looks for due messages, in seconds (default 1). */
  readonly pollingIntervalSeconds?: number;
  /** Most messages at once in this process (default 4). */
  readonly concurrency?: number;
}): Promise<ScheduledMessageWorker> {
  let retried = 0;
  await options.boss.work<unknown>(
    scheduledMessageQueueName,
    {
      batchSize: 1,
      localConcurrency: options.concurrency ?? 4,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    },
    async ([job]: Job<unknown>[]) => {
      const due = job ? parseScheduledDue(job.data) : null;
      if (!due) return { ignored: "malformed" };
      let outcome: unknown;
      try {
        outcome = await options.send(due);
      } catch (error) {
        retried++;
        // The stored failure names the kind only: a driver's message may quote values.
        throw new Error(`scheduled message failed: ${error instanceof Error ? error.name : "unknown"}`);
      }
      // Fetched before its time by our clock (clocks differ a little): tried again after the back-off.
      if (outcome === "not_due") {
        retried++;
        throw new Error("scheduled message not due yet");
      }
      return { outcome };
    },
  );
  let stopping: Promise<void> | undefined;
  return {
    retried: () => retried,
    stop() {
      stopping ??= options.boss.offWork(scheduledMessageQueueName, { wait: true });
      return stopping;
    },
  };
}

/** The due message in an entry's data, or null when the data is not one. */
export function parseScheduledDue(data: unknown): ScheduledDue | null {
  if (typeof data !== "object" || data === null) return null;
  const { clinicId, scheduledId, sendAt } = data as Record<string, unknown>;
  const isId = (value: unknown): value is string =>
    typeof value === "string" && value.length > 0 && value.length <= maxIdLength;
  if (!isId(clinicId) || !isId(scheduledId) || typeof sendAt !== "string") return null;
  const at = new Date(sendAt);
  return Number.isNaN(at.getTime()) ? null : { clinicId, scheduledId, sendAt: at };
}
