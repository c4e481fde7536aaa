import type { IncomingMessage } from "node:http";
import type { Session, SessionResolver } from "../../src/auth/session";

const header = "x-test-session";

/**
 * TEST ONLY: trusts a session written in a request header. Lives in test support so it can never
 * be wired into the real server by accident.
 */
export const headerSessionResolver: SessionResolver = {
  async resolve(req: IncomingMessage): Promise<Session | null> {
    const value = req.headers[header];
    if (typeof value !== "string") return null;
    return JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Session;
  },
};

/** The header that makes {@link headerSessionResolver} see `session`. */
export function sessionHeaders(session: Session | null): Record<string, string> {
  return session ? { [header]: Buffer.from(JSON.stringify(session)).toString("base64url") } : {};
}
