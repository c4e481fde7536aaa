import { hash, verify } from "@node-rs/argon2";
import { AuthError } from "./AuthError";

/** argon2id cost parameters. */
export interface PasswordHashing {
  /** KiB of memory per hash. */
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (about 20-40 ms per hash on a server core). */
export const defaultPasswordHashing: PasswordHashing = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Length rule for new passwords, in characters (code points) after NFKC normalisation. */
export const passwordLength = { min: 12, max: 128 } as const;

// Compatibility forms of a character (full-width digits, ligatures…) hash alike, so a password
// typed on another keyboard or device still matches.
const normalise = (password: string) => password.normalize("NFKC");

/** Refuses a new password outside {@link passwordLength}. */
export function checkNewPassword(password: string): void {
  const length = [...normalise(password)].length;
  if (length < passwordLength.min || length > passwordLength.max)
    throw new AuthError("PASSWORD_LENGTH", { min: passwordLength.min, max: passwordLength.max });
}

/** Password hashing and checking with argon2id (SEC-1). */
export interface Passwords {
  hash(password: string): Promise<string>;
  /** The candidates whose hash matches; with none, one dummy hash is checked so the time is alike. */
  matching<T extends { readonly passwordHash: string }>(
    candidates: readonly T[],
    password: string,
  ): Promise<T[]>;
}

/** {@link Passwords} over `@node-rs/argon2`, whose default algorithm is argon2id. */
export function createPasswords(params: PasswordHashing = defaultPasswordHashing): Passwords {
  const options = { ...params, outputLen: 32 };
  // Made on first use with the same parameters as real hashes: checking an unknown email costs
  // what checking a known one does, so timing does not tell them apart.
  let dummy: Promise<string> | null = null;
  const check = (stored: string, password: string) => verify(stored, normalise(password)).catch(() => false);
  return {
    hash: (password) => hash(normalise(password), options),
    async matching(candidates, password) {
      if (candidates.length === 0) {
        dummy ??= hash("not a password of anyone", options);
        await check(await dummy, password);
        return [];
      }
      const found: (typeof candidates)[number][] = [];
      for (const candidate of candidates)
        if (await check(candidate.passwordHash, password)) found.push(candidate);
      return found;
    },
  };
}
