import { randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { sha256 } from "./secrets";

// RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps.
const period = 30;
const digits = 6;
const algorithm = "SHA1";
/** Steps either side of now that are still accepted: a clock a little off, a code typed slowly. */
const window = 1;

/** A new random TOTP secret (160 bits), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI an authenticator app scans (as a QR code) to add the account. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return new TOTP({
    issuer: issuer.replaceAll(":", " "),
    label: account.replaceAll(":", " "),
    secret: Secret.fromBase32(secret),
    algorithm,
    digits,
    period,
  }).toString();
}

/** The time step of `at`: codes are good once, so the caller records the step a code used. */
function stepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / period);
}

/** The time step `code` belongs to when it is valid for `secret` at `at` (± one step), else null. */
export function matchTotp(secret: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    algorithm,
    digits,
    period,
    timestamp: at.getTime(),
    window,
  });
  return delta === null ? null : stepAt(at) + delta;
}

/** The code for `secret` at `at` (tests and the local demo helper). */
export function totpCode(secret: string, at: Date): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm,
    digits,
    period,
    timestamp: at.getTime(),
  });
}

/** How many one-time recovery codes a person gets when TOTP is turned on. */
export const recoveryCodeCount = 10;

// No 0/O, 1/I/L: read off paper and typed by hand. 31 symbols: ten of them carry 49 bits.
const recoveryAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A fresh set of recovery codes, shown once, as `XXXXX-XXXXX` (49 random bits each). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: recoveryCodeCount }, () => {
    const chars = Array.from({ length: 10 }, () => recoveryAlphabet[randomInt(recoveryAlphabet.length)]);
    return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
  });
}

/** The recovery code as typed, without spaces or dashes and in upper case; null when it cannot be one. */
export function recoveryCodeOf(input: string): string | null {
  const code = input.replace(/[\s-]/g, "").toUpperCase();
  return code.length === 10 && [...code].every((c) => recoveryAlphabet.includes(c)) ? code : null;
}

/**
 * The stored form of a recovery code. 49 random bits cannot be guessed offline the way a
 * password can, so a plain SHA-256 is enough (and lets the database match it in one statement).
 */
export function recoveryCodeDigest(code: string): string {
  return sha256(`recovery:${recoveryCodeOf(code) ?? code}`).toString("hex");
}
