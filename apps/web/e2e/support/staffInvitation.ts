import type { Page } from "playwright-core";
import { expect } from "vitest";
import { expectAccessible } from "./axe";
import { shoot } from "./firstDay";
import type { Authenticator } from "./signIn";
import type { TestProduct } from "./testProduct";

/**
 * Opens the newest staff invitation emailed to `email` and walks it as the invitee (ADMIN-2):
 * name and password, two-step set-up with the QR code (the secret read from the page into the
 * authenticator), the ten recovery codes, then the first Chat page; axe and screenshots on each.
 */
export async function acceptStaffInvitationAs(
  page: Page,
  on: {
    readonly product: TestProduct;
    readonly authenticator: Authenticator;
    readonly clinicName: string;
    readonly password: string;
  },
  invitee: { readonly email: string; readonly name: string; readonly role: string; readonly shot: string },
): Promise<void> {
  const { email, name, role, shot } = invitee;
  await page.goto(await on.product.invitationLink(email));
  await page.getByRole("heading", { name: `Join ${on.clinicName}` }).waitFor();
  await page.getByText(`invited ${email} to Clinic Chat as ${role}`).waitFor();
  expect(page.url()).not.toContain("#");
  await expectAccessible(page, `${shot}: staff invitation`);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("New password").fill(on.password);
  await page.getByLabel("Type it again").fill(on.password);
  await page.getByRole("button", { name: "Set password and continue" }).click();

  await page.getByRole("heading", { name: "Set up two-step sign-in" }).waitFor();
  // The password step is over: its fields leave the page, and no rule is left above the step.
  expect(await page.getByLabel("Password", { exact: true }).isVisible()).toBe(false);
  expect(await page.locator(".enrol").evaluate((e) => getComputedStyle(e).borderTopWidth)).toBe("0px");
  const qr = page.getByRole("img", { name: "QR code to scan with your authenticator app" });
  await qr.waitFor();
  expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
  const secret = await page.getByTestId("totp-secret").getAttribute("data-secret");
  if (!secret) throw new Error("no TOTP secret shown");
  on.authenticator.remember(email, secret);
  await expectAccessible(page, `${shot}: two-step enrolment with a QR code`);
  await shoot(page, `${shot}-qr`);
  await page.getByLabel("Code from your authenticator app").fill(await on.authenticator.code(email));
  await page.getByRole("button", { name: "Continue" }).click();

  await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
  expect(await page.getByTestId("recovery-codes").getByRole("listitem").count()).toBe(10);
  await expectAccessible(page, `${shot}: recovery codes`);
  await shoot(page, `${shot}-recovery-codes`);
  await page.getByRole("button", { name: "I saved them, continue" }).click();
  await page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();
  await expectAccessible(page, `${shot}: first Chat page`);
}
