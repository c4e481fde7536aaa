import type { KeyProvider } from "@clinic-chat/domain/keys";
import type { Kysely } from "kysely";
import type { Database } from "../postgres/Database";
import { withClinic } from "../postgres/PostgresUnitOfWork";
import { clinicKeyContext } from "./recordKeys";

/**
 * Rotates the key-encryption key (REC-1) while the product runs: a new key becomes the current
 * one, each clinic's key is re-wrapped with it in a short transaction of its own, and the earlier
 * key is retired once no clinic's key is wrapped with it. The clinics' keys themselves do not
 * change, so nothing sealed with them is touched and no process drops what it keeps in memory.
 * `ownerDb` lists the clinics (row-level security hides them from the application role);
 * `db` re-wraps each under its clinic. Answers the new key's id.
 */
export async function rotateKeyEncryptionKey(
  db: Kysely<Database>,
  ownerDb: Kysely<Database>,
  provider: KeyProvider,
): Promise<string> {
  const earlier = new Set([await provider.currentKeyId()]);
  const current = await provider.rotate();
  for (;;) {
    const waiting = await ownerDb
      .selectFrom("clinic_keys")
      .select(["clinic_id", "kek_id"])
      .where("kek_id", "<>", current)
      .orderBy("clinic_id")
      .limit(100)
      .execute();
    if (waiting.length === 0) break;
    for (const { clinic_id: clinicId, kek_id: keyId } of waiting) {
      earlier.add(keyId);
      await rewrap(db, provider, clinicId, current);
    }
  }
  for (const keyId of earlier) if (keyId !== current) await provider.retire(keyId);
  return current;
}

async function rewrap(db: Kysely<Database>, provider: KeyProvider, clinicId: string, current: string) {
  await withClinic(db, clinicId, async (trx) => {
    const row = await trx
      .selectFrom("clinic_keys")
      .select(["kek_id", "wrapped"])
      .where("clinic_id", "=", clinicId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.kek_id === current) return;
    const context = clinicKeyContext(clinicId);
    const key = await provider.unwrap({ keyId: row.kek_id, bytes: row.wrapped }, context);
    const wrapped = await provider.wrap(key, context);
    await trx
      .updateTable("clinic_keys")
      .set({ kek_id: wrapped.keyId, wrapped: Buffer.from(wrapped.bytes) })
      .where("clinic_id", "=", clinicId)
      .execute();
  });
}
