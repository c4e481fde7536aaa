import { describe, expect, it } from "vitest";
import { accessTokens, fhirTokenKey } from "../src/fhir/accessTokens";
import { liveReaderPassword } from "../src/live/startLive";

describe("the FHIR endpoint's token key (INTEG-1)", () => {
  const caller = { clinicId: "clinic-a", credentialId: "credential-1" };
  const now = new Date("2026-12-06T12:00:00Z");

  it("INTEG-1: a token one API process issued is accepted by every process of the installation, and by no other", () => {
    const issuing = accessTokens(fhirTokenKey("the app role's password"));
    const other = accessTokens(fhirTokenKey("the app role's password"));
    const token = issuing.issue(caller, now);
    expect(other.verify(token, now, null)).toMatchObject(caller);
    expect(accessTokens(fhirTokenKey("another installation")).verify(token, now, null)).toBeNull();
  });

  it("is its own secret: neither the password it comes from nor the live reader's", () => {
    const key = fhirTokenKey("pw");
    expect(key).toHaveLength(32);
    expect(key.toString("base64url")).not.toBe(liveReaderPassword("pw"));
    expect(key.toString("utf8")).not.toContain("pw");
  });
});
