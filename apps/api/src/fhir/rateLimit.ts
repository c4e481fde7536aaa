import { hostCallLimits } from "@clinic-chat/domain/integration";

/**
 * INTEG-1: calls per credential, as a token bucket of `hostCallLimits` refilled continuously. Kept
 * per process: each instance lets a credential through at the clinic's rate.
 */
export function credentialRateLimiter(limits: { perMinute: number; burst: number } = hostCallLimits) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = limits.perMinute / 60_000;
  return {
    /** Takes one call; the seconds to wait when the credential is over its rate, else 0. */
    take(credentialId: string, now: number): number {
      const bucket = buckets.get(credentialId) ?? { tokens: limits.burst, at: now };
      bucket.tokens = Math.min(limits.burst, bucket.tokens + (now - bucket.at) * perMs);
      bucket.at = now;
      buckets.set(credentialId, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
}
