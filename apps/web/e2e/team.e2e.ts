import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

describe("Clinic Settings › Team, in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("ADMIN-2: an admin invites a practitioner, who accepts the emailed link, sets a password and enrols TOTP with a QR code", async () => {
    const admin = product.person("Alex Morgan");
    const staff = await newPerson(browser, product.url);
    await signInStaff(staff.page, admin, authenticator);
    await staff.page.getByRole("link", { name: "Team" }).click();
    await staff.page.getByRole("heading", { name: "Team", level: 1 }).waitFor();
    await staff.page.getByRole("rowheader", { name: /Alex Morgan/ }).waitFor();
    await expectAccessible(staff.page, "Clinic Settings › Team");

    const email = "piper.new@maplegrove.example";
    await staff.page.getByLabel("Email").fill(email);
    await staff.page.getByLabel("Role", { exact: true }).selectOption("practitioner");
    await staff.page.getByRole("button", { name: "Send invitation" }).click();
    await staff.page.getByText("Invitation sent. The link works for 7 days.").waitFor();
    const invitedRow = staff.page.getByRole("row", { name: new RegExp(email) });
    await invitedRow.getByRole("cell", { name: "Invited" }).waitFor();

    // The invitee, on a phone.
    const link = await product.invitationLink(email);
    expect(link).toContain("/staff/invitation#");
    const invitee = await newPerson(browser, product.url, viewports.phone);
    await invitee.page.goto(link);
    await invitee.page.getByRole("heading", { name: "Join Maple Grove Family Practice" }).waitFor();
    await invitee.page.getByText(`invited ${email} to Clinic Chat as a practitioner`).waitFor();
    // The token leaves the address bar at once.
    expect(invitee.page.url()).not.toContain("#");
    await expectAccessible(invitee.page, "staff invitation");
    await invitee.page.getByLabel("Your name").fill("Piper New");
    await invitee.page.getByLabel("New password").fill("piper's own long password");
    await invitee.page.getByLabel("Type it again").fill("piper's own long password");
    await invitee.page.getByRole("button", { name: "Set password and continue" }).click();

    await invitee.page.getByRole("heading", { name: "Set up two-step sign-in" }).waitFor();
    const qr = invitee.page.getByRole("img", { name: "QR code to scan with your authenticator app" });
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    const secret = await invitee.page.getByTestId("totp-secret").getAttribute("data-secret");
    if (!secret) throw new Error("no TOTP secret shown");
    authenticator.remember(email, secret);
    await expectAccessible(invitee.page, "two-step enrolment with a QR code");
    await invitee.page.getByLabel("Code from your authenticator app").fill(await authenticator.code(email));
    await invitee.page.getByRole("button", { name: "Continue" }).click();

    await invitee.page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    expect(await invitee.page.getByTestId("recovery-codes").getByRole("listitem").count()).toBe(10);
    for (const name of ["Copy", "Download (.txt)", "Print"])
      await invitee.page.getByRole("button", { name }).waitFor();
    const download = invitee.page.waitForEvent("download");
    await invitee.page.getByRole("button", { name: "Download (.txt)" }).click();
    expect((await download).suggestedFilename()).toBe("clinic-chat-recovery-codes.txt");
    await expectAccessible(invitee.page, "recovery codes");
    await invitee.page.getByRole("button", { name: "I saved them, continue" }).click();
    await invitee.page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();

    await staff.page.reload();
    const memberRow = staff.page.getByRole("row", { name: /Piper New/ });
    await memberRow.getByRole("cell", { name: "Active" }).waitFor();
    expect(await memberRow.getByRole("combobox").inputValue()).toBe("practitioner");
    await expectAccessible(staff.page, "Team with the new member");
  });
});
