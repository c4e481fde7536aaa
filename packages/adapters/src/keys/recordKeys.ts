import { createSecretKey, type KeyObject } from "node:crypto";
import type { KeyProvider } from "@clinic-chat/domain/keys";
import { type Kysely, sql } from "kysely";
import { LRUCache } from "lru-cache";
import type { Database } from "../postgres/Database";
import { newKey, open, openText, seal, sealText } from "./sealing";
import { searchKeyOf } from "./searchDigests";

/**
 * One clinic's sealing (REC-1). Each message and file has its own data key, sealed by the clinic's
 * key and kept beside its row in a key table; destroying that row destroys the content (REC-2).
 * `subject` names what a key or a value belongs to ("message/<id>", "file/<id>"); it is bound to
 * every sealing, so a value copied onto another row does not open there.
 */
export interface ClinicSeal {
  /** A new data key for `subject`, and its wrapping to keep beside the row. */
  newDataKey(subject: string): { readonly key: Buffer; readonly wrapped: Buffer };
  /** The data key of `subject` from its wrapping, for {@link openText}. */
  dataKey(subject: string, wrapped: Uint8Array): KeyObject;
  sealText(key: Uint8Array, subject: string, text: string): string;
  openText(key: KeyObject, subject: string, value: string): string;
  /** A value sealed under the clinic's key itself: secrets that are not shredded one by one. */
  sealSecret(subject: string, text: string): string;
  openSecret(subject: string, value: string): string;
  /** The clinic's search key (SRCH-1), derived from its key: what keys its words' digests. */
  readonly searchKey: KeyObject;
}

/** The clinics' keys of one process. */
export interface RecordKeys {
  /**
   * The clinic's sealing, read through `within` (the unit of work's transaction). Its key is
   * unwrapped once per process and kept in memory once it is known to be committed.
   */
  forClinic(clinicId: string, within: Kysely<Database>): Promise<ClinicSeal>;
  readonly provider: KeyProvider;
}

/**
 * The clinics' keys, wrapped by the {@link KeyProvider}'s key-encryption key in `clinic_keys`.
 * A clinic's key is made in the transaction that first needs it. A key that transaction made is
 * not kept in memory (the transaction may yet roll back and another key be made instead): it is
 * kept when a later transaction reads it committed.
 */
export function createRecordKeys(provider: KeyProvider): RecordKeys {
  const committed = new Map<string, ClinicSeal>();
  const opened: DataKeys = new LRUCache({ max: openedDataKeys });
  const read = (within: Kysely<Database>, clinicId: string) =>
    sql<{ kek_id: string; wrapped: Buffer; ours: boolean }>`
      select kek_id, wrapped, xmin = pg_current_xact_id_if_assigned()::xid as ours
        from clinic_keys where clinic_id = ${clinicId}`
      .execute(within)
      .then((result) => result.rows[0]);
  return {
    provider,
    async forClinic(clinicId, within) {
      const known = committed.get(clinicId);
      if (known) return known;
      const context = clinicKeyContext(clinicId);
      let row = await read(within, clinicId);
      if (!row) {
        const wrapped = await provider.wrap(newKey(), context);
        // Of two transactions making the clinic's first key at once, the second waits for the
        // first and keeps its key.
        await sql`insert into clinic_keys (clinic_id, kek_id, wrapped)
          values (${clinicId}, ${wrapped.keyId}, ${Buffer.from(wrapped.bytes)})
          on conflict (clinic_id) do nothing`.execute(within);
        row = await read(within, clinicId);
        if (!row) throw new Error(`clinic ${clinicId} has no key after making one`);
      }
      const key = await provider.unwrap({ keyId: row.kek_id, bytes: row.wrapped }, context);
      const seal = clinicSeal(clinicId, key, opened);
      if (!row.ours) committed.set(clinicId, seal);
      return seal;
    },
  };
}

/** What a clinic's key is wrapped for: it unwraps as no other clinic's. */
export function clinicKeyContext(clinicId: string): string {
  return `clinic-key/${clinicId}`;
}

/**
 * Data keys already opened in this process, by the clinic and the subject, each with the wrapped
 * bytes it was opened from: it is found only for those same bytes as the database hands them
 * over. A message read again (by each reader, by each live delivery) then skips its key's
 * unwrapping. Only a wrapping read from the database finds its key here, so a destroyed key is
 * never found again (REC-2), and a key kept here opens nothing the clinic's key, which the
 * process holds anyway, could not.
 */
type DataKeys = LRUCache<string, { readonly wrapped: Buffer; readonly key: KeyObject }>;
const openedDataKeys = 20_000;

function clinicSeal(clinicId: string, clinicKey: Uint8Array, opened: DataKeys): ClinicSeal {
  const context = (subject: string) => `${clinicId}/${subject}`;
  return {
    newDataKey(subject) {
      const key = newKey();
      return { key, wrapped: seal(clinicKey, key, context(subject)) };
    },
    dataKey(subject, wrapped) {
      const name = context(subject);
      const known = opened.get(name);
      if (known && Buffer.compare(known.wrapped, wrapped) === 0) return known.key;
      // Kept as a key object: opening text with it skips importing the key's bytes every time.
      const key = createSecretKey(open(clinicKey, wrapped, name));
      opened.set(name, { wrapped: Buffer.from(wrapped), key });
      return key;
    },
    sealText: (key, subject, text) => sealText(key, text, context(subject)),
    openText: (key, subject, value) => openText(key, value, context(subject)),
    sealSecret: (subject, text) => sealText(clinicKey, text, context(subject)),
    openSecret: (subject, value) => openText(clinicKey, value, context(subject)),
    searchKey: searchKeyOf(clinicId, clinicKey),
  };
}
