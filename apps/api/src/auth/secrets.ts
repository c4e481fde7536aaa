import { createHash, randomBytes } from "node:crypto";

/** A session or invitation token: 256 random bits, URL-safe base64 (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What a token looks like; anything else is refused before it reaches the database. */
export const tokenShape = /^[A-Za-z0-9_-]{43}$/;

/** The SHA-256 digest stored in place of a token, a recovery code or a rate-limit key. */
export function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
