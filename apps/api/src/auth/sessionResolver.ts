import type { IncomingMessage } from "node:http";
import { canAct } from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";
import { loadPersonOf } from "./people";
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
 * state (ELIG-6: deactivated staff and portal accounts that are not active are signed out).
 * `last_seen_at` slides at most once a minute, or every tenth of the idle timeout when that is
 * shorter, so the timeout is never off by more than that and most requests write nothing.
 */
export function createSessionResolver(
  deps: Pick<AuthDeps, "store" | "clock" | "cookie" | "settings">,
): CookieSessionResolver {
  const check = async (token: string | null, touch: boolean): Promise<Session | null> => {
    if (!token || !tokenShape.test(token)) return null;
    const tokenHash = sha256(token);
    const found = await deps.store.sessionByTokenHash(tokenHash);
    const now = deps.clock.now();
    if (!found || now.getTime() >= found.expiresAt.getTime()) return null;
    return deps.store.run(found.clinicId, async (s) => {
      const clinic = await s.clinics.get(found.clinicId);
      const idleMs = (clinic?.settings.idleTimeoutMinutes ?? deps.settings.defaultIdleMinutes) * 60_000;
      const idleFor = now.getTime() - found.lastSeenAt.getTime();
      const person = await loadPersonOf(s, found.person);
      if (!clinic || idleFor >= idleMs || !person || !canAct(person).allowed) {
        // Ended for good: a later reactivation or a clock going back does not revive it.
        await s.sessions.revoke(tokenHash, now);
        return null;
      }
      if (touch && idleFor >= Math.min(maxTouchIntervalMs, idleMs / 10))
        await s.sessions.touch(tokenHash, now);
      return person.kind === "staff"
        ? { clinicId: found.clinicId, person: found.person, role: person.staff.role }
        : { clinicId: found.clinicId, person: found.person };
    });
  };
  const resolveToken = (token: string | null) => check(token, true);
  return {
    resolveToken,
    peekToken: (token) => check(token, false),
    resolve: (req: IncomingMessage) => resolveToken(deps.cookie.read(req.headers.cookie)),
  };
}
