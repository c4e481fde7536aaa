import type { IncomingMessage } from "node:http";
import type { AuthDeps } from "./AuthDeps";
import { sha256, tokenShape } from "./secrets";
import type { Session, SessionResolver } from "./session";

/** Writes of `last_seen_at` are spaced by at most this much (keeps most reads read-only). */
const maxTouchIntervalMs = 60_000;

/** A resolver that can also resolve a bare token (the cookie's value). */
export interface CookieSessionResolver extends SessionResolver {
  resolveToken(token: string | null): Promise<Session | null>;
  /**
   * Like {@link resolveToken} but never slides `last_seen_at`: for checks the person did not
   * cause, such as a live stream re-checking its session, which must not keep an idle session
   * alive (SEC-2).
   */
  peekToken(token: string | null): Promise<Session | null>;
}

/**
 * The real {@link SessionResolver}: the session cookie's token, looked up by its digest, checked
 * against the 12-hour lifetime and the clinic's idle timeout (SEC-2) and against the person's
 * state (ELIG-6: deactivated staff and portal accounts that are not active are signed out; their
 * session, like an idle one, ends for good). `last_seen_at` slides at most once a minute, or every
 * tenth of the idle timeout when that is shorter, so the timeout is never off by more than that
 * and most requests write nothing.
 *
 * One statement, one round trip (issue 7): the store's `resolveSession` makes every one of these
 * checks in the database (migration 0006). A malformed token never reaches it.
 */
export function createSessionResolver(
  deps: Pick<AuthDeps, "store" | "clock" | "cookie">,
): CookieSessionResolver {
  const check = async (token: string | null, touch: boolean): Promise<Session | null> => {
    if (!token || !tokenShape.test(token)) return null;
    const found = await deps.store.resolveSession(sha256(token), deps.clock.now(), {
      touch,
      maxTouchIntervalMs,
    });
    if (!found) return null;
    return found.staffRole
      ? { clinicId: found.clinicId, person: found.person, role: found.staffRole }
      : { clinicId: found.clinicId, person: found.person };
  };
  const resolveToken = (token: string | null) => check(token, true);
  return {
    resolveToken,
    peekToken: (token) => check(token, false),
    resolve: (req: IncomingMessage) => resolveToken(deps.cookie.read(req.headers.cookie)),
  };
}
