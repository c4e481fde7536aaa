import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from "node:crypto";

// AES-256-GCM with a fresh 96-bit nonce per sealing; the sealed bytes are nonce | tag | ciphertext.
// `context` is authenticated, not stored: a sealed value opens only where it was sealed for.

const nonceBytes = 12;
const tagBytes = 16;

/** A new random 256-bit key. */
export function newKey(): Buffer {
  return randomBytes(32);
}

/** `plain` sealed under `key`, bound to `context`. */
export function seal(key: Uint8Array, plain: Uint8Array, context: string): Buffer {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

/** The bytes {@link seal} sealed; throws when the key or the context differs or a byte changed. */
export function open(key: Uint8Array | KeyObject, sealed: Uint8Array, context: string): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes.length < nonceBytes + tagBytes) throw new Error("the sealed value is too short");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, nonceBytes));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(bytes.subarray(nonceBytes, nonceBytes + tagBytes));
  // GCM is a stream mode: update hands back every byte and final only checks the tag (it throws
  // when the tag differs), so nothing is copied a second time.
  const body = decipher.update(bytes.subarray(nonceBytes + tagBytes));
  decipher.final();
  return body;
}

/**
 * Sealed text is kept in the same text columns as plain text, marked by a leading U+0001: input
 * with control characters is refused at the edge (SEC-6), so no plain value starts with it, and
 * rows written before encryption stay readable until the background sealing reaches them.
 */
const mark = "\u0001";

/** `text` sealed under `key` for `context`, as a column value. */
export function sealText(key: Uint8Array, text: string, context: string): string {
  return mark + seal(key, Buffer.from(text, "utf8"), context).toString("base64");
}

/** Whether a column value is sealed text. */
export function isSealedText(value: string): boolean {
  return value.startsWith(mark);
}

/** The text {@link sealText} sealed. */
export function openText(key: Uint8Array | KeyObject, value: string, context: string): string {
  return open(key, Buffer.from(value.slice(mark.length), "base64"), context).toString("utf8");
}
