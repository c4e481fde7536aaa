import { totpCode } from "@clinic-chat/api";
import type { Page } from "playwright-core";
import { password, type SeededPerson } from "./testProduct";

const stepMs = 30_000;

/**
 * Staff TOTP as an authenticator app would hold it: the secret comes from the enrolment step of
 * the real sign-in. A code works once, so each sign-in of the same person uses the next step's
 * code (the server accepts one step either side of now).
 */
export class Authenticator {
  private readonly secrets = new Map<string, string>();
  private readonly lastStep = new Map<string, number>();

  remember(email: string, secret: string): void {
    this.secrets.set(email, secret);
  }

  /**
   * The next code not used yet. Like a person at their authenticator app, it waits for the next
   * code when the ones valid now (this step and the next) were used already.
   */
  async code(email: string): Promise<string> {
    const secret = this.secrets.get(email);
    if (!secret) throw new Error(`no TOTP secret for ${email}`);
    const step = Math.max(Math.floor(Date.now() / stepMs), (this.lastStep.get(email) ?? -1) + 1);
    this.lastStep.set(email, step);
    // The server accepts one step either side of now: wait until this step is at most one ahead.
    const wait = (step - 1) * stepMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 50));
    return totpCode(secret, new Date(step * stepMs));
  }
}

/**
 * Signs a staff member in through the real page: email and password, then TOTP enrolment on
 * the first sign-in (the secret is read from the page, the code typed in, the recovery codes
 * acknowledged), or the current code afterwards.
 */
export async function signInStaff(
  page: Page,
  person: SeededPerson,
  authenticator: Authenticator,
  /** Runs on each step's page as it shows (the browser tests check each with axe). */
  onStep: (step: "enrolment" | "recovery codes" | "code") => Promise<void> = async () => {},
): Promise<void> {
  await page.goto("/staff/sign-in");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const enrolment = page.getByRole("heading", { name: "Set up two-step sign-in" });
  const code = page.getByLabel("Authentication code");
  await enrolment.or(code).waitFor();
  if (await enrolment.isVisible()) {
    const secret = await page.getByTestId("totp-secret").getAttribute("data-secret");
    if (!secret) throw new Error("the enrolment step showed no secret");
    authenticator.remember(person.email, secret);
    await onStep("enrolment");
    await page.getByLabel("Code from your authenticator app").fill(await authenticator.code(person.email));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    await onStep("recovery codes");
    await page.getByRole("button", { name: "I saved them, continue" }).click();
  } else {
    await onStep("code");
    await code.fill(await authenticator.code(person.email));
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();
}

/** Signs a patient in to the Patient Portal through the real page. */
export async function signInPatient(page: Page, person: SeededPerson): Promise<void> {
  await page.goto("/portal/sign-in");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();
}
