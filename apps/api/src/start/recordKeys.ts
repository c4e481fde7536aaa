import { resolve } from "node:path";
import type { Database } from "@clinic-chat/adapters";
import {
  connectPostgres,
  createKmsKeyProvider,
  createRecordKeys,
  openKeyFileProvider,
  type RecordKeys,
  sealEarlierRecords,
} from "@clinic-chat/adapters";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "../config";

/**
 * The clinics' keys (REC-1), wrapped by AWS KMS when configured, otherwise by the key-encryption
 * keys of the key file under the data folder's secrets (created owner-only; a start with a wider
 * mode is refused, naming the fix).
 */
export async function openRecordKeys(dataDir: string, kms: Config["kms"]): Promise<RecordKeys> {
  const provider = kms
    ? createKmsKeyProvider(kms)
    : await openKeyFileProvider(resolve(dataDir, "secrets", "key-encryption-keys.json"));
  return createRecordKeys(provider);
}

/**
 * Seals, in the background, what an earlier version wrote in plain text (REC-1), while the
 * product serves; at every start, since it finds nothing once done. Answers how to stop it.
 */
export function sealEarlierRecordsInBackground(
  db: Kysely<Database>,
  ownerUrl: string,
  keys: RecordKeys,
  logger: Logger,
): () => Promise<void> {
  const owner = connectPostgres(ownerUrl, { max: 1 });
  let stopping = false;
  const done = sealEarlierRecords(db, owner, keys, () => stopping)
    .then((sealed) => {
      if (sealed > 0) logger.info({ sealed }, "earlier records sealed");
    })
    .catch((error: unknown) =>
      logger.error(
        { err: error instanceof Error ? error.name : "unknown" },
        "sealing earlier records stopped",
      ),
    )
    .finally(() => owner.destroy());
  return () => {
    stopping = true;
    return done;
  };
}
