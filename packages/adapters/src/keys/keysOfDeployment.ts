import type { KeyProvider } from "@clinic-chat/domain/keys";
import { type Kysely, sql } from "kysely";
import type { Database } from "../postgres/Database";
import { clinicKeyContext } from "./recordKeys";

/**
 * The ids of the key-encryption keys this database's clinic keys are wrapped with that `provider`
 * cannot unwrap with: empty when this process can open every clinic's records. One clinic key per
 * key-encryption key is tried, so the check costs one unwrap per key id. `owner` lists every
 * clinic's key (the owner's listing policy).
 */
export async function keyEncryptionKeysMissing(
  owner: Kysely<Database>,
  provider: KeyProvider,
): Promise<string[]> {
  const rows = await sql<{ kek_id: string; clinic_id: string; wrapped: Buffer }>`
    select distinct on (kek_id) kek_id, clinic_id, wrapped from clinic_keys order by kek_id, clinic_id`.execute(
    owner,
  );
  const missing: string[] = [];
  for (const row of rows.rows) {
    try {
      await provider.unwrap({ keyId: row.kek_id, bytes: row.wrapped }, clinicKeyContext(row.clinic_id));
    } catch {
      missing.push(row.kek_id);
    }
  }
  return missing;
}
