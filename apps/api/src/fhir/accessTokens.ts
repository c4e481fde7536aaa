import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { HostCaller } from "@clinic-chat/domain/integration";

/** How long an access token of the token endpoint lasts: the host asks for another when it ends. */
export const accessTokenSeconds = 300;

const idShape = /^[A-Za-z0-9_-]{1,64}$/;

/** The client id a credential is known by: its clinic and its id, so the look-up runs under the clinic's RLS. */
export function clientIdOf(clinicId: string, credentialId: string): string {
  return `${clinicId}.${credentialId}`;
}

/** The clinic and credential a client id names; null for anything we did not make. */
export function parseClientId(clientId: string): { clinicId: string; credentialId: string } | null {
  const [clinicId, credentialId, ...rest] = clientId.split(".");
  if (rest.length > 0 || !clinicId || !credentialId || !idShape.test(clinicId) || !idShape.test(credentialId))
    return null;
  return { clinicId, credentialId };
}

/**
 * Short-lived bearer tokens (INTEG-1): the clinic, the credential and the expiry, signed with
 * HMAC-SHA256 under a key of the server. Each call still asks the domain whether the credential
 * is live, so a revocation takes effect at once, not when the token ends.
 */
export function accessTokens(key: Buffer = randomBytes(32)) {
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest("base64url");
  return {
    issue(caller: { clinicId: string; credentialId: string }, now: Date): string {
      const expires = Math.floor(now.getTime() / 1000) + accessTokenSeconds;
      const payload = Buffer.from(JSON.stringify([caller.clinicId, caller.credentialId, expires])).toString(
        "base64url",
      );
      return `${payload}.${sign(payload)}`;
    },
    /** The caller a token names, or null when it is forged, malformed or expired. */
    verify(token: string, now: Date, ip: string | null): HostCaller | null {
      const [payload, signature, ...rest] = token.split(".");
      if (rest.length > 0 || !payload || !signature) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const [clinicId, credentialId, expires] = JSON.parse(
          Buffer.from(payload, "base64url").toString("utf8"),
        );
        if (typeof clinicId !== "string" || typeof credentialId !== "string" || typeof expires !== "number")
          return null;
        if (expires * 1000 <= now.getTime()) return null;
        return { clinicId, credentialId, ip };
      } catch {
        return null;
      }
    },
  };
}

/** The signer and checker of access tokens. */
export type AccessTokens = ReturnType<typeof accessTokens>;

/**
 * The key that signs the endpoint's access tokens, derived from the application role's password:
 * every process of one installation shares that password (docs/deploying.md), so a token one API
 * process issued is accepted by all of them behind the load balancer (INTEG-1).
 */
export function fhirTokenKey(appPassword: string): Buffer {
  return createHmac("sha256", appPassword).update("clinic-chat fhir access tokens").digest();
}
