import type { FilePreviewQueue } from "@clinic-chat/domain/files";
import type { PgBoss } from "pg-boss";
import type { Statements } from "../postgres/Statements";
import { filePreviewQueueName } from "./queues";

/**
 * The domain's FilePreviewQueue on pg-boss (FILE-7): a preview job is inserted through the unit of
 * work's own transaction, so it commits with the image's sharing or not at all. One job per file.
 */
export function pgBossFilePreviewQueue(boss: PgBoss): (statements: Statements) => FilePreviewQueue {
  return (statements) => {
    const db = {
      async executeSql(text: string, values?: unknown[]) {
        await statements.write(text, values ?? []);
        return { rows: [] };
      },
    };
    return {
      async schedule(job) {
        await boss.send(
          filePreviewQueueName,
          { clinicId: job.clinicId, fileId: job.fileId },
          { singletonKey: `${job.clinicId}|${job.fileId}`, db },
        );
      },
    };
  };
}
