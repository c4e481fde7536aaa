import type { Session } from "../auth/session";

/** What the live stream knows of its own HTTP request, to check its session again. */
export interface LiveRequestCredentials {
  /** The Cookie header the stream was opened with. */
  readonly cookieHeader: string | null;
}

/**
 * Checks that the person of a live stream is still signed in: when it opens, before every batch it
 * sends, and periodically while idle, so a signed-out stream stops receiving at once (SEC-2).
 */
export interface LiveSessionCheck {
  stillSignedIn(session: Session, request: LiveRequestCredentials): Promise<boolean>;
}

function sameSession(found: Session | null, session: Session): boolean {
  return (
    found !== null &&
    found.clinicId === session.clinicId &&
    found.person.kind === session.person.kind &&
    found.person.id === session.person.id
  );
}

/**
 * The check over sign-in's cookie sessions: the stream's cookie resolved again, as on any request
 * (revoked, expired, idle-timed-out or deactivated all answer no). One indexed lookup per batch.
 * Note: sign-in's resolver slides `last_seen_at` (at most once a minute); a stream re-checking
 * therefore counts as activity. If open tabs must not keep sessions alive, give this a lookup
 * that does not touch the session.
 */
export function cookieSessionCheck(
  resolver: { resolveToken(token: string | null): Promise<Session | null> },
  cookie: { read(cookieHeader: string | null | undefined): string | null },
): LiveSessionCheck {
  return {
    async stillSignedIn(session, request) {
      return sameSession(await resolver.resolveToken(cookie.read(request.cookieHeader)), session);
    },
  };
}
