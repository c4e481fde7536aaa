import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInStaff } from "./support/signIn";
import { password, productForFile, type TestProduct } from "./support/testProduct";

/** The reset email is sent just after the answer: wait for it to land in the mail folder. */
async function waitForResetLink(product: TestProduct, to: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const link = await product.passwordResetLink(to).catch(() => null);
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no password reset email to ${to}`);
}

async function choosePassword(page: Page, newPassword: string): Promise<void> {
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Type it again").fill(newPassword);
}

describe("ACC-1 ACC-2: account recovery and change password in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("ACC-1: a patient forgets their password, follows the emailed link, chooses a new one and signs in (phone layout, axe)", async () => {
    const marcus = product.person("Marcus Chen");
    const { context, page } = await newPerson(browser, product.url, viewports.phone);
    await page.goto("/portal/sign-in");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Reset your password", level: 1 }).waitFor();
    await expectAccessible(page, "portal forgot password");
    await page.getByLabel("Email").fill(marcus.email);
    await page.getByRole("button", { name: "Email me a link" }).click();
    await page.getByText("we sent it a link to choose a new password").waitFor();
    await expectAccessible(page, "portal forgot password, sent");

    const link = await waitForResetLink(product, marcus.email);
    expect(new URL(link).pathname).toBe("/portal/reset-password");
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password", level: 1 }).waitFor();
    // The token leaves the address bar at once.
    expect(new URL(page.url()).hash).toBe("");
    await expectAccessible(page, "portal reset password");
    const newPassword = "marcus new passphrase 2026";
    await choosePassword(page, newPassword);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText("Your password is changed. Sign in with your new password.").waitFor();
    await expectAccessible(page, "portal sign-in after reset");

    // The old password is refused; the new one signs in.
    await page.getByLabel("Email").fill(marcus.email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The email or password isn't right.").waitFor();
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();

    // The link worked once.
    await page.goto(link);
    await choosePassword(page, "another passphrase 2026");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText("This password reset link has expired or was already used.").waitFor();
    await context.close();
  });

  it("ACC-2: a staff member changes their password in My Account and signs in with it and their second factor; the staff sign-in offers Forgot password? too", async () => {
    const alex = product.person("Alex Morgan");
    const { context, page } = await newPerson(browser, product.url);
    await page.goto("/staff/sign-in");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Reset your password", level: 1 }).waitFor();
    await expectAccessible(page, "staff forgot password");

    await signInStaff(page, alex, authenticator);
    await page.goto("/staff/account");
    await page.getByRole("heading", { name: "Change password", level: 2 }).waitFor();
    const newPassword = "alex new passphrase 2026";
    await page.getByLabel("Current password").fill("not my password at all");
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("New password again").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your current password isn't right.").waitFor();
    await page.getByLabel("Current password").fill(password);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password is changed.").waitFor();
    await expectAccessible(page, "My Account after changing the password");

    // This browser stays signed in.
    await page.goto("/staff/appointments");
    await page.getByRole("heading", { name: "Appointments", level: 1 }).waitFor();

    const other = await newPerson(browser, product.url);
    await other.page.goto("/staff/sign-in");
    await other.page.getByLabel("Email").fill(alex.email);
    await other.page.getByLabel("Password").fill(newPassword);
    await other.page.getByRole("button", { name: "Sign in" }).click();
    await other.page.getByLabel("Authentication code").fill(await authenticator.code(alex.email));
    await other.page.getByRole("button", { name: "Continue" }).click();
    await other.page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();
    await other.context.close();
    await context.close();
  });
});
