import type { IncomingMessage } from "node:http";
import type { PersonRef, StaffRole } from "@clinic-chat/domain";

/**
 * Who is signed in on a request: a person of one clinic, and for staff their role. The API's
 * role gates read `role` as a first check only; the domain loads the person and decides again.
 */
export interface Session {
  readonly clinicId: string;
  readonly person: PersonRef;
  /** The staff member's role; absent for patients. */
  readonly role?: StaffRole;
}

/**
 * Finds the session of an HTTP request (cookie, idle and absolute timeouts, SEC-1/SEC-2), or
 * null when nobody valid is signed in. The real sign-in implements it; tests plug in their own.
 */
export interface SessionResolver {
  resolve(req: IncomingMessage): Promise<Session | null>;
}

/** The resolver used until sign-in exists: nobody is ever signed in, so every authed call is refused. */
export const noSessions: SessionResolver = { resolve: async () => null };
