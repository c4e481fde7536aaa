import type { FilePreviewJob } from "@clinic-chat/domain/files";
import type { Job, PgBoss } from "pg-boss";
import { filePreviewQueueName } from "./queues";
import { parseFileScan } from "./startFileScanWorker";

/** A running preview worker. */
export interface FilePreviewWorker {
  /** Stops fetching and waits for the previews in hand to finish. */
  stop(): Promise<void>;
}

/**
 * Works the preview queue (FILE-7): each job is one shared image's renditions, handed to `make`
 * (the domain's `makeFilePreviews`). A job that throws (storage unreachable, say) is retried by
 * pg-boss; until it succeeds the image shows as a file card.
 */
export async function startFilePreviewWorker(options: {
  readonly boss: PgBoss;
  readonly make: (job: FilePreviewJob) => Promise<unknown>;
  /** How often an idle worker looks for jobs, in seconds (default 1). */
  readonly pollingIntervalSeconds?: number;
  /** Most images at once in this process (default 2: decoding is CPU-bound). */
  readonly concurrency?: number;
}): Promise<FilePreviewWorker> {
  await options.boss.work<unknown>(
    filePreviewQueueName,
    {
      batchSize: 1,
      localConcurrency: options.concurrency ?? 2,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    },
    async ([job]: Job<unknown>[]) => {
      // The same ids as a scan job: a clinic and one of its files.
      const preview = job ? parseFileScan(job.data) : null;
      if (!preview) return { ignored: "malformed" };
      try {
        return { outcome: await options.make(preview) };
      } catch (error) {
        // The stored failure names the kind only: a driver's message may quote values.
        throw new Error(`preview failed: ${error instanceof Error ? error.name : "unknown"}`);
      }
    },
  );
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= options.boss.offWork(filePreviewQueueName, { wait: true });
      return stopping;
    },
  };
}
