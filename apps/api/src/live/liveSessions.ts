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
 * The check over sign-in's cookie sessions: the stream's cookie resolved again (revoked, expired,
 * idle-timed-out or deactivated all answer no), one indexed lookup per batch. It peeks: an open
 * stream is not the person's activity and must not keep an idle session alive (SEC-2).
 */
export function cookieSessionCheck(
  resolver: { peekToken(token: string | null): Promise<Session | null> },
  cookie: { read(cookieHeader: string | null | undefined): string | null },
): LiveSessionCheck {
  return {
    async stillSignedIn(session, request) {
      return sameSession(await resolver.peekToken(cookie.read(request.cookieHeader)), session);
    },
  };
}
