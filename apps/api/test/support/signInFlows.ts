import type { StaffMember } from "@clinic-chat/domain";
import { expect } from "vitest";
import { totpCode } from "../../src/auth/totp";
import { type AuthApi, type Browser, password } from "./authApi";

/** A staff member's first sign-in: enrolment, then the code. Returns the TOTP secret and the recovery codes. */
export async function enrolStaff(api: AuthApi, browser: Browser, staff: Pick<StaffMember, "email">) {
  const first = await browser.trpc.auth.signIn.mutate({ audience: "staff", email: staff.email, password });
  if (first.status !== "totpEnrolmentRequired") throw new Error(`expected enrolment, got ${first.status}`);
  const done = await browser.trpc.auth.signIn.mutate({
    audience: "staff",
    email: staff.email,
    password,
    code: totpCode(first.secret, api.clock.now()),
  });
  expect(done.status).toBe("signedIn");
  const recoveryCodes = done.status === "signedIn" ? (done.recoveryCodes ?? []) : [];
  return { secret: first.secret, recoveryCodes };
}

/** A later sign-in of an enrolled staff member, half a minute on so the code is a fresh one. */
export async function signInStaff(
  api: AuthApi,
  browser: Browser,
  staff: Pick<StaffMember, "email">,
  secret: string,
) {
  api.clock.advance(30_000);
  const result = await browser.trpc.auth.signIn.mutate({
    audience: "staff",
    email: staff.email,
    password,
    code: totpCode(secret, api.clock.now()),
  });
  expect(result.status).toBe("signedIn");
}

/** A patient's sign-in with a password alone. */
export async function signInPatient(browser: Browser, email: string, secretPassword = password) {
  const result = await browser.trpc.auth.signIn.mutate({
    audience: "patient",
    email,
    password: secretPassword,
  });
  expect(result.status).toBe("signedIn");
}
