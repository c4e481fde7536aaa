import type { BroadcastTurn, BroadcastTurnQueue } from "@clinic-chat/domain/broadcasts";
import type { Job, PgBoss } from "pg-boss";
import type { Statements } from "../postgres/Statements";
import { broadcastQueueName } from "./queues";

/** Ids longer than this are not ours. */
const maxIdLength = 200;

/**
 * The domain's BroadcastTurnQueue on pg-boss (BCAST-1): a turn is inserted through the unit of
 * work's own transaction with `startAfter`, so it commits with the broadcast (or the turn before)
 * or not at all, and any worker process takes it at its time. One turn per broadcast waits at a
 * time: the queue's key refuses a second.
 */
export function pgBossBroadcastTurns(boss: PgBoss): (statements: Statements) => BroadcastTurnQueue {
  return (statements) => {
    const db = {
      async executeSql(text: string, values?: unknown[]) {
        await statements.write(text, values ?? []);
        return { rows: [] };
      },
    };
    return {
      async schedule(turn, at) {
        await boss.send(
          broadcastQueueName,
          { clinicId: turn.clinicId, broadcastId: turn.broadcastId },
          { startAfter: at, singletonKey: `${turn.clinicId}|${turn.broadcastId}`, db },
        );
      },
    };
  };
}

/** A running broadcast worker. */
export interface BroadcastWorker {
  /** Stops fetching and waits for the turn in hand to finish. */
  stop(): Promise<void>;
}

/**
 * Works the broadcast queue: one turn at a time per process (a broadcast must never crowd out live
 * chat), each handed to `deliver` (the domain's `deliverBroadcastTurn`). A turn that throws fails
 * its job, which pg-boss retries.
 */
export async function startBroadcastWorker(options: {
  readonly boss: PgBoss;
  readonly deliver: (turn: BroadcastTurn) => Promise<unknown>;
  /** How often an idle worker looks for turns, in seconds (default 0.5, pg-boss's least). */
  readonly pollingIntervalSeconds?: number;
}): Promise<BroadcastWorker> {
  await options.boss.work<unknown>(
    broadcastQueueName,
    { batchSize: 1, localConcurrency: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 },
    async ([job]: Job<unknown>[]) => {
      const turn = job ? parseBroadcastTurn(job.data) : null;
      if (!turn) return { ignored: "malformed" };
      try {
        return { outcome: await options.deliver(turn) };
      } catch (error) {
        // The stored failure names the kind only: a driver's message may quote values.
        throw new Error(`broadcast turn failed: ${error instanceof Error ? error.name : "unknown"}`);
      }
    },
  );
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= options.boss.offWork(broadcastQueueName, { wait: true });
      return stopping;
    },
  };
}

/** The turn in a job's data, or null when the data is not one. */
export function parseBroadcastTurn(data: unknown): BroadcastTurn | null {
  if (typeof data !== "object" || data === null) return null;
  const { clinicId, broadcastId } = data as Record<string, unknown>;
  const isId = (value: unknown): value is string =>
    typeof value === "string" && value.length > 0 && value.length <= maxIdLength;
  return isId(clinicId) && isId(broadcastId) ? { clinicId, broadcastId } : null;
}
