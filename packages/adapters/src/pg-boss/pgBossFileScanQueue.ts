import type { FileScanQueue } from "@clinic-chat/domain/files";
import type { PgBoss } from "pg-boss";
import type { Statements } from "../postgres/Statements";
import { fileScanQueueName } from "./queues";

/**
 * The domain's FileScanQueue on pg-boss, for `createPostgresUnitOfWork`: a scan is inserted
 * through the unit of work's own transaction, so it commits with the file's move to "checking" or
 * not at all (FILE-6). One job per file: a second while the first waits is refused by its key.
 * As for notification timers, the insert is a write of the unit of work whose answer nobody reads.
 */
export function pgBossFileScanQueue(boss: PgBoss): (statements: Statements) => FileScanQueue {
  return (statements) => {
    const db = {
      async executeSql(text: string, values?: unknown[]) {
        await statements.write(text, values ?? []);
        return { rows: [] };
      },
    };
    return {
      async schedule(scan) {
        await boss.send(
          fileScanQueueName,
          { clinicId: scan.clinicId, fileId: scan.fileId },
          { singletonKey: `${scan.clinicId}|${scan.fileId}`, db },
        );
      },
    };
  };
}
