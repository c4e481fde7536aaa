import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { hostAudited } from "./hostAudited";
import type { ApiCredential, HostCaller } from "./ports";

/** A credential as the admin sees it: never its secret or digest. */
export interface ApiCredentialView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** How long a credential's name may be, and how many live credentials a clinic may hold. */
export const apiCredentialLimits = { name: 80, live: 20 } as const;

const controlCharacters = /[\p{Cc}\p{Cs}]/u;

function viewOf(credential: ApiCredential): ApiCredentialView {
  const { id, name, createdAt, lastUsedAt, revokedAt } = credential;
  return { id, name, createdAt, lastUsedAt, revokedAt };
}

/**
 * INTEG-1: a clinic admin makes a named API credential. The caller made the secret and hands only
 * its digest here; the secret goes back to the admin once and is kept nowhere. Audited (SEC-3).
 */
export function createApiCredential(
  deps: ChatDeps,
  actor: Actor,
  input: { name: string; secretDigest: string },
): Promise<ApiCredentialView> {
  return audited(deps, actor, "credential.create", async (stores) => {
    const admin = await loadActing(stores, actor, { as: "admin" });
    const name = input.name.trim();
    if (name === "" || name.length > apiCredentialLimits.name || controlCharacters.test(name))
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "name" });
    if (!/^[0-9a-f]{64}$/.test(input.secretDigest))
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "secretDigest" });
    const live = (await stores.integration.credentials()).filter((c) => !c.revokedAt);
    if (live.length >= apiCredentialLimits.live)
      throw new DomainError("CONFLICT", "CONFLICT", { limit: apiCredentialLimits.live });
    const credential: ApiCredential = {
      id: deps.ids.newId(),
      clinicId: actor.clinicId,
      name,
      secretDigest: input.secretDigest,
      createdAt: deps.clock.now(),
      createdBy: admin.id,
      lastUsedAt: null,
      revokedAt: null,
    };
    await stores.integration.addCredential(credential);
    return viewOf(credential);
  });
}

/** INTEG-1: the clinic's credentials with when each was last used (admins only; no secrets). */
export function listApiCredentials(deps: ChatDeps, actor: Actor): Promise<ApiCredentialView[]> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    return (await stores.integration.credentials()).map(viewOf);
  });
}

/** INTEG-1: an admin revokes a credential; its next call is refused. Audited; revoking twice changes nothing. */
export function revokeApiCredential(
  deps: ChatDeps,
  actor: Actor,
  input: { credentialId: string },
): Promise<ApiCredentialView> {
  return audited(deps, actor, "credential.revoke", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const credential = await stores.integration.credential(input.credentialId);
    if (!credential) throw new DomainError("NOT_FOUND");
    if (credential.revokedAt) return viewOf(credential);
    const revokedAt = deps.clock.now();
    await stores.integration.revokeCredential(credential.id, revokedAt);
    return viewOf({ ...credential, revokedAt });
  });
}

/**
 * INTEG-1: the host system proves a credential (its id and the digest of the secret it sent) to
 * get a token. Unknown, foreign and revoked credentials and wrong secrets are all the same
 * FORBIDDEN (ELIG-5). Audited as the credential when it is the clinic's.
 */
export async function authenticateHost(
  deps: ChatDeps,
  input: { clinicId: string; credentialId: string; secretDigest: string; ip?: string | null },
): Promise<HostCaller> {
  const caller: HostCaller = {
    clinicId: input.clinicId,
    credentialId: input.credentialId,
    ip: input.ip ?? null,
  };
  await hostAudited(deps, caller, "credential.token", async (stores) => {
    const credential = await stores.integration.credential(input.credentialId);
    if (!credential || !sameDigest(credential.secretDigest, input.secretDigest))
      throw new DomainError("FORBIDDEN", "FORBIDDEN", { credential: "refused" });
  });
  return caller;
}

/** Compares two hex digests in time independent of where they differ. */
function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
