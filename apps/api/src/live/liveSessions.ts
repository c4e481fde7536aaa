import type { Session } from "../auth/session";
import { createTickBatcher } from "../batching/tickBatcher";

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

/** A stream's question: the token its cookie holds, and the session it was opened with. */
interface AskedCheck {
  readonly token: string | null;
  readonly session: Session;
}

/**
 * The check over sign-in's cookie sessions: the stream's cookie resolved again (revoked, expired,
 * idle-timed-out or deactivated all answer no). It peeks: an open stream is not the person's
 * activity and must not keep an idle session alive (SEC-2).
 *
 * One statement per tick, not one per session: the checks asked in one tick (the hub checks the
 * sessions of every person a feed batch reaches concurrently, each after the same one `await`)
 * wait for the microtasks queued before them, then go to the store as one `peekTokens` call; each
 * caller gets its own session's answer. When that call fails, every check of it rejects, as one
 * failed check does alone.
 */
export function cookieSessionCheck(
  resolver: { peekTokens(tokens: readonly (string | null)[]): Promise<(Session | null)[]> },
  cookie: { read(cookieHeader: string | null | undefined): string | null },
): LiveSessionCheck {
  const checks = createTickBatcher<AskedCheck, boolean>(
    async (asked) => {
      const found = await resolver.peekTokens(asked.map((check) => check.token));
      return asked.map((check, i) => ({ ok: true, value: sameSession(found[i] ?? null, check.session) }));
    },
    { window: "microtasks" },
  );
  return {
    stillSignedIn(session, request) {
      // Read now: a bad header is this caller's null answer, never the batch's failure.
      return checks.load({ token: cookie.read(request.cookieHeader), session });
    },
  };
}
