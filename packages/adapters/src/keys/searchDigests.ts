import { createHmac, createSecretKey, hkdfSync, type KeyObject } from "node:crypto";

/**
 * The clinic's search key (SRCH-1): HKDF-SHA256 of the clinic's key, for this clinic and this use
 * only. Derived, not stored: it is there wherever the clinic's key is, re-wrapping the clinic's key
 * (a rotation) leaves it as it is, and it opens nothing the clinic's key seals. Kept as a key
 * object: a digest under it skips importing the key's bytes, once per word of every message.
 */
export function searchKeyOf(clinicId: string, clinicKey: Uint8Array): KeyObject {
  return createSecretKey(
    Buffer.from(hkdfSync("sha256", clinicKey, Buffer.alloc(0), `clinic-chat/search/${clinicId}`, 32)),
  );
}

/**
 * The keyed digest of each search term: HMAC-SHA256 under the clinic's search key, its first 8
 * bytes as a signed 64-bit integer. Without the key a digest tells nothing of its word; 64 bits
 * make two of a clinic's words sharing one so rare that it does not matter, and when they do the
 * search only opens a message that does not hold the word, which its snippet then leaves out.
 */
export function searchDigests(searchKey: KeyObject, terms: readonly string[]): string[] {
  return terms.map((term) =>
    createHmac("sha256", searchKey).update(term, "utf8").digest().readBigInt64BE(0).toString(),
  );
}
