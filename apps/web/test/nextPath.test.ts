import { describe, expect, it } from "vitest";
import { nextPathFor, signInSearchOf } from "../src/auth/audience";

describe("ACC-1: sign-in returns only to a page of the same app on this site", () => {
  it("ACC-1: keeps a path (and its query of ids) of the app being signed in to", () => {
    expect(nextPathFor("staff", "/staff/appointments/0190c8a4-7b1e-7000-8000-000000000001")).toBe(
      "/staff/appointments/0190c8a4-7b1e-7000-8000-000000000001",
    );
    expect(nextPathFor("staff", "/staff/appointments/new?patientId=abc")).toBe(
      "/staff/appointments/new?patientId=abc",
    );
    expect(nextPathFor("patient", "/portal/chat/abc")).toBe("/portal/chat/abc");
  });

  it("ACC-1: refuses absolute, protocol-relative and backslash URLs, other apps, dot segments and its own sign-in pages", () => {
    const refused = [
      "https://evil.example/staff/chat",
      "http:/evil.example/staff",
      "//evil.example/staff/chat",
      "/\\evil.example/staff/chat",
      "\\\\evil.example/staff",
      "/staff\\..\\..\\evil",
      "javascript:alert(1)",
      " /staff/chat",
      "/staff/chat\n",
      "/staff/../portal/chat",
      "/staff/%2e%2e/portal/chat",
      "/portal/chat",
      "/staff",
      "/staff/sign-in",
      "/staff/reset-password",
      "staff/chat",
      "",
      42,
      null,
      `/staff/${"x".repeat(600)}`,
    ];
    for (const value of refused) expect(nextPathFor("staff", value), String(value)).toBeUndefined();
    expect(nextPathFor("patient", "/staff/chat")).toBeUndefined();
  });

  it("ACC-1: the sign-in pages' search keeps a good next and a known reason, and drops the rest", () => {
    expect(signInSearchOf("staff")({ reason: "ended", next: "/staff/chat/c1", other: "x" })).toEqual({
      reason: "ended",
      next: "/staff/chat/c1",
    });
    expect(signInSearchOf("staff")({ reason: "nope", next: "//evil.example" })).toEqual({});
  });
});
