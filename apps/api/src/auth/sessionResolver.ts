import type { IncomingMessage } from "node:http";
import type { ResolvedSession } from "@clinic-chat/domain";
import { createTickBatcher } from "../batching/tickBatcher";
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
  /**
   * {@link peekToken} for many tokens in one statement: each answer, in order, is what
   * `peekToken` answers for that token. Null and malformed tokens answer null and reach no
   * query; when none is left, nothing is queried.
   */
  peekTokens(tokens: readonly (string | null)[]): Promise<(Session | null)[]>;
}

/**
 * The real {@link SessionResolver}: the session cookie's token, looked up by its digest, checked
 * against the 12-hour lifetime and the clinic's idle timeout (SEC-2) and against the person's
 * state (ELIG-6: deactivated staff and portal accounts that are not active are signed out; their
 * session, like an idle one, ends for good). `last_seen_at` slides at most once a minute, or every
 * tenth of the idle timeout when that is shorter, so the timeout is never off by more than that
 * and most requests write nothing.
 *
 * One statement: the store's `resolveSession` makes every one of these checks in the database
 * (migration 0006). A malformed token never reaches it. The requests' checks of one tick share
 * that statement (`resolveSessions`), and `peekTokens` makes the same peek for many tokens in one
 * statement (the live streams' per-batch re-checks).
 */
export function createSessionResolver(
  deps: Pick<AuthDeps, "store" | "clock" | "cookie">,
): CookieSessionResolver {
  const wellFormed = (token: string | null): token is string => !!token && tokenShape.test(token);
  const check = async (token: string | null, touch: boolean): Promise<Session | null> => {
    if (!wellFormed(token)) return null;
    return sessionOf(
      await deps.store.resolveSession(sha256(token), deps.clock.now(), { touch, maxTouchIntervalMs }),
    );
  };
  const peekTokens = async (tokens: readonly (string | null)[]): Promise<(Session | null)[]> => {
    const answers: (Session | null)[] = tokens.map(() => null);
    const asked = tokens.flatMap((token, i) => (wellFormed(token) ? [{ i, token }] : []));
    if (asked.length === 0) return answers;
    const found = await deps.store.peekSessions(
      asked.map((a) => sha256(a.token)),
      deps.clock.now(),
      { maxTouchIntervalMs },
    );
    for (const [k, a] of asked.entries()) answers[a.i] = sessionOf(found[k] ?? null);
    return answers;
  };
  // A request's check (touch: true) waits for the end of its tick's I/O, and the checks of one
  // tick go out as one statement: under load, the requests read in one go share it. The same
  // token twice in one tick is checked once, and both get its answer.
  const checks = createTickBatcher<string, Session | null>(
    async (tokens) => {
      const distinct = [...new Set(tokens)];
      const hashes = distinct.map(sha256);
      const options = { touch: true, maxTouchIntervalMs };
      const found =
        hashes.length === 1
          ? [await deps.store.resolveSession(hashes[0]!, deps.clock.now(), options)]
          : await deps.store.resolveSessions(hashes, deps.clock.now(), options);
      const byToken = new Map(distinct.map((token, i) => [token, sessionOf(found[i] ?? null)]));
      return tokens.map((token) => ({ ok: true, value: byToken.get(token) ?? null }));
    },
    { window: "io" },
  );
  const resolveToken = (token: string | null): Promise<Session | null> =>
    wellFormed(token) ? checks.load(token) : Promise.resolve(null);
  return {
    resolveToken,
    peekToken: (token) => check(token, false),
    peekTokens,
    resolve: (req: IncomingMessage) => resolveToken(deps.cookie.read(req.headers.cookie)),
  };
}

function sessionOf(found: ResolvedSession | null): Session | null {
  if (!found) return null;
  return found.staffRole
    ? { clinicId: found.clinicId, person: found.person, role: found.staffRole }
    : { clinicId: found.clinicId, person: found.person };
}
