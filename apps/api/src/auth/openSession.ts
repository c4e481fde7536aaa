import type { ClinicAuthStores, PersonRef } from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";
import { newToken, sha256 } from "./secrets";

/**
 * Starts a session for `person` inside the current clinic's transaction and audits the sign-in
 * (SEC-3). Returns the token for the cookie: only its digest is stored.
 */
export async function openSession(
  deps: Pick<AuthDeps, "settings">,
  stores: ClinicAuthStores,
  clinicId: string,
  person: PersonRef,
  now: Date,
  ip: string | null,
): Promise<string> {
  const token = newToken();
  // Ended sessions have no further use once the audit trail has each end (SEC-3): those that ended
  // unseen (idle or expired with nobody asking) get their record first.
  await stores.sessions.endExpired(person, now);
  await stores.sessions.prune(person, now);
  await stores.sessions.create({
    tokenHash: sha256(token),
    person,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.settings.absoluteLifetimeMs),
  });
  await stores.audit.append({
    clinicId,
    actor: person,
    action: "auth.sign_in",
    at: now,
    ip,
    outcome: "success",
  });
  return token;
}
