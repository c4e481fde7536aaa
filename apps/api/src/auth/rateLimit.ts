import type { AuthStore, Clock } from "@clinic-chat/domain";
import { AuthError } from "./AuthError";
import { sha256 } from "./secrets";

/** How many failed sign-ins are allowed in the sliding window, per email and per address. */
export interface SignInLimits {
  readonly windowMinutes: number;
  readonly perEmail: number;
  readonly perIp: number;
}

/**
 * SEC-1: 5 failures per email in 15 minutes stop an online guess at one account; 20 per address
 * stop one machine trying many accounts, yet leave room for a clinic's staff behind one NAT.
 */
export const defaultSignInLimits: SignInLimits = { windowMinutes: 15, perEmail: 5, perIp: 20 };

/** One counted attempt: a failure unless it proves right. */
export interface SignInAttempt {
  /** The attempt proved right (the password, the code or the token): it is no failure and stops counting. */
  succeeded(): Promise<void>;
}

/** Counts sign-in, code and token attempts, and refuses them while a limit is reached. */
export interface SignInLimiter {
  /**
   * ACC-3: counts one attempt for the email and the address before anything is checked, atomically,
   * so a burst of concurrent attempts gets no more checks than the limit. Throws TOO_MANY_ATTEMPTS
   * (with the minutes to wait) while the email or the address holds its limit of failures.
   */
  attempt(email: string | null, ip: string | null): Promise<SignInAttempt>;
}

/** The limiter over the store's global attempt table; keys are digests, so it names nobody. */
export function createSignInLimiter(
  store: Pick<AuthStore, "countAttempt" | "uncountAttempt">,
  clock: Clock,
  limits: SignInLimits = defaultSignInLimits,
): SignInLimiter {
  const windowMs = limits.windowMinutes * 60_000;
  const keys = (email: string | null, ip: string | null) => [
    ...(email ? [{ key: sha256(`email:${email}`), limit: limits.perEmail }] : []),
    ...(ip ? [{ key: sha256(`ip:${ip}`), limit: limits.perIp }] : []),
  ];
  return {
    async attempt(email, ip) {
      const now = clock.now();
      const counted = await store.countAttempt(keys(email, ip), now, new Date(now.getTime() - windowMs));
      if (!counted.counted) {
        // Refused until the oldest of the latest `limit` attempts leaves the window.
        const freeAt = counted.oldestCounted.getTime() + windowMs;
        throw new AuthError("TOO_MANY_ATTEMPTS", {
          retryAfterMinutes: Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000)),
        });
      }
      return { succeeded: () => store.uncountAttempt(counted.ids) };
    },
  };
}
