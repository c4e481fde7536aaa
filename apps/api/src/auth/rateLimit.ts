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

/** Counts failed sign-ins and refuses further tries while a limit is reached. */
export interface SignInLimiter {
  /** Throws TOO_MANY_ATTEMPTS (with the minutes to wait) while the email or the address is over its limit. */
  check(email: string | null, ip: string | null): Promise<void>;
  /** Records one failure for the email and the address. */
  fail(email: string | null, ip: string | null): Promise<void>;
}

/** The limiter over the store's global failure table; keys are digests, so it names nobody. */
export function createSignInLimiter(
  store: Pick<AuthStore, "recentFailures" | "recordFailure">,
  clock: Clock,
  limits: SignInLimits = defaultSignInLimits,
): SignInLimiter {
  const windowMs = limits.windowMinutes * 60_000;
  const keys = (email: string | null, ip: string | null) => [
    ...(email ? [{ key: sha256(`email:${email}`), limit: limits.perEmail }] : []),
    ...(ip ? [{ key: sha256(`ip:${ip}`), limit: limits.perIp }] : []),
  ];
  return {
    async check(email, ip) {
      const now = clock.now();
      const since = new Date(now.getTime() - windowMs);
      let freeAt = 0;
      for (const { key, limit } of keys(email, ip)) {
        const recent = await store.recentFailures(key, since, limit);
        // Over the limit until the oldest of the latest `limit` failures leaves the window.
        const oldest = recent[limit - 1];
        if (oldest) freeAt = Math.max(freeAt, oldest.getTime() + windowMs);
      }
      if (freeAt > now.getTime()) {
        throw new AuthError("TOO_MANY_ATTEMPTS", {
          retryAfterMinutes: Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000)),
        });
      }
    },
    async fail(email, ip) {
      const now = clock.now();
      await store.recordFailure(
        keys(email, ip).map((k) => k.key),
        now,
        new Date(now.getTime() - windowMs),
      );
    },
  };
}
