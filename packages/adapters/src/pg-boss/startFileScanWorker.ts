import type { FileScan } from "@clinic-chat/domain/files";
import type { Job, PgBoss } from "pg-boss";
import { fileScanQueueName } from "./queues";

/** Ids longer than this are not ours. */
const maxIdLength = 200;

/** A running malware scan worker. */
export interface FileScanWorker {
  /** Scans that failed and wait for a retry (the scanner unreachable, say), since the start. */
  retried(): number;
  /** Stops fetching and waits for the scans in hand to finish. */
  stop(): Promise<void>;
}

/**
 * Works the malware scan queue (FILE-6): each job is one file's scan, handed to `scan` (the
 * domain's `scanUploadedFile`). A scan that throws fails its job, which pg-boss retries with the
 * queue's back-off, so a file waits, unseen, while the scanner is unreachable.
 */
export async function startFileScanWorker(options: {
  readonly boss: PgBoss;
  readonly scan: (scan: FileScan) => Promise<unknown>;
  /** How often an idle worker looks for scans, in seconds (default 1). */
  readonly pollingIntervalSeconds?: number;
  /** Most scans at once in this process (default 4). */
  readonly concurrency?: number;
}): Promise<FileScanWorker> {
  let retried = 0;
  await options.boss.work<unknown>(
    fileScanQueueName,
    {
      batchSize: 1,
      localConcurrency: options.concurrency ?? 4,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    },
    async ([job]: Job<unknown>[]) => {
      const scan = job ? parseFileScan(job.data) : null;
      // A job written by hand or another version: nothing to scan.
      if (!scan) return { ignored: "malformed" };
      try {
        return { outcome: await options.scan(scan) };
      } catch (error) {
        retried++;
        // The stored failure names the kind only: a driver's message may quote values.
        throw new Error(`scan failed: ${error instanceof Error ? error.name : "unknown"}`);
      }
    },
  );
  let stopping: Promise<void> | undefined;
  return {
    retried: () => retried,
    stop() {
      stopping ??= options.boss.offWork(fileScanQueueName, { wait: true });
      return stopping;
    },
  };
}

/** The scan in a job's data, or null when the data is not one. */
export function parseFileScan(data: unknown): FileScan | null {
  if (typeof data !== "object" || data === null) return null;
  const { clinicId, fileId } = data as Record<string, unknown>;
  const isId = (value: unknown): value is string =>
    typeof value === "string" && value.length > 0 && value.length <= maxIdLength;
  return isId(clinicId) && isId(fileId) ? { clinicId, fileId } : null;
}
