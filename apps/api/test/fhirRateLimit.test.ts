import { Client } from "fhir-kit-client";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, type Browser, startAuthApi } from "./support/authApi";
import { bundleOf, failureOf, patientSystem, tokenFor } from "./support/fhirHost";
import { enrolStaff } from "./support/signInFlows";

// INTEG-1: the host system's calls are limited per credential across every API process of the
// installation: two API processes on one database count against one limit.

const perMinute = 5;
let api: AuthApi;
let admin: Browser;
let secondUrl: string;
beforeAll(async () => {
  api = await startAuthApi({ fhirLimits: { perMinute } });
  admin = api.browser();
  await enrolStaff(api, admin, api.world.a.admin);
  secondUrl = await api.anotherServer();
}, 120_000);
afterAll(async () => {
  await api.close();
});

/** A FHIR client of one API process, with a token that process issued for the credential. */
async function clientOf(baseUrl: string, clientId: string, clientSecret: string) {
  const response = await tokenFor({ ...api, url: baseUrl }, clientId, clientSecret);
  const { access_token: token } = (await response.json()) as { access_token: string };
  return Object.assign(new Client({ baseUrl: `${baseUrl}/fhir/R4`, bearerToken: token }), { token });
}

const search = (client: Client) =>
  client.search({ resourceType: "Patient", searchParams: { identifier: `${patientSystem}|H-1` } });

describe("INTEG-1: one limit per credential across API processes", () => {
  it("INTEG-1: calls through two API processes count together; past the limit both answer 429 with Retry-After until the next minute; another credential is not held up", async () => {
    const made = await admin.trpc.integration.createCredential.mutate({ name: "Practice system" });
    const first = await clientOf(api.url, made.clientId, made.clientSecret);
    const second = await clientOf(secondUrl, made.clientId, made.clientSecret);
    for (let i = 0; i < perMinute; i += 1) {
      const answer = bundleOf(await search(i % 2 === 0 ? first : second));
      expect(answer.resourceType).toBe("Bundle");
    }
    for (const client of [first, second]) {
      const refused = await failureOf(search(client));
      expect(refused.status).toBe(429);
      expect(refused.data).toMatchObject({
        resourceType: "OperationOutcome",
        issue: [{ code: "throttled" }],
      });
    }
    const raw = await fetch(`${secondUrl}/fhir/R4/Patient?identifier=H-1`, {
      headers: { authorization: `Bearer ${second.token}` },
    });
    expect(raw.status).toBe(429);
    const retryAfter = Number(raw.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another credential of the clinic has its own count.
    const other = await admin.trpc.integration.createCredential.mutate({ name: "Lab system" });
    expect(bundleOf(await search(await clientOf(secondUrl, other.clientId, other.clientSecret))).type).toBe(
      "searchset",
    );

    // The next minute, the credential goes ahead again; nothing of the throttled calls was audited.
    api.clock.advance(retryAfter * 1000);
    expect(bundleOf(await search(first)).type).toBe("searchset");
    const reads = await sql<{ n: number }>`select count(*)::int as n from audit_log
      where credential_id = ${made.credential.id} and action = 'host.read'`.execute(api.owner);
    expect(reads.rows[0]?.n).toBe(perMinute + 1);
  }, 60_000);
});
