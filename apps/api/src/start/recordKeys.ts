import { resolve } from "node:path";
import type { Database } from "@clinic-chat/adapters";
import {
  connectPostgres,
  createKmsKeyProvider,
  createRecordKeys,
  keyEncryptionKeysMissing,
  openKeyFileProvider,
  type RecordKeys,
  sealEarlierRecords,
} from "@clinic-chat/adapters";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "../config";
import { errorName } from "./errorFacts";

/**
 * The clinics' keys (REC-1), wrapped by AWS KMS when configured, otherwise by the key-encryption
 * keys of the key file under the data folder's secrets (created owner-only; a start with a wider
 * mode is refused, naming the fix). A process whose keys cannot open the clinic keys already in
 * the database (a key file of its own beside a deployment's shared one) refuses to start, with
 * one sentence naming the file and what to do, instead of failing on every read later.
 */
export async function openRecordKeys(
  dataDir: string,
  kms: Config["kms"],
  ownerUrl: string,
): Promise<RecordKeys> {
  const keyFile = resolve(dataDir, "secrets", "key-encryption-keys.json");
  const provider = kms ? createKmsKeyProvider(kms) : await openKeyFileProvider(keyFile);
  const owner = connectPostgres(ownerUrl, { max: 1 });
  const missing = await keyEncryptionKeysMissing(owner, provider).finally(() => owner.destroy());
  if (missing.length > 0) {
    const ids = missing.join(", ");
    throw new Error(
      kms
        ? `The KMS key ${kms.keyId} cannot open this database's records (they need key-encryption key ${ids}): set KMS_KEY_ID and KMS_EARLIER_KEY_IDS to the deployment's keys, with kms:Decrypt for this process, and start again.`
        : `The key file ${keyFile} does not hold the key-encryption key ${ids} this database's records need: copy secrets/key-encryption-keys.json from the deployment's other processes over it (mode 0600) and start again.`,
    );
  }
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
    .catch((error: unknown) => logger.error({ err: errorName(error) }, "sealing earlier records stopped"))
    .finally(() => owner.destroy());
  return () => {
    stopping = true;
    return done;
  };
}
