import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

/** Where the screenshots go: BROADCAST_SHOTS, when set. */
const shots = process.env.BROADCAST_SHOTS;

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

describe("Clinic Settings › Broadcasts, in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("BCAST-1: an admin composes a broadcast to a practitioner's patients, previews who is skipped and why, sends it and reads the report", async () => {
    const admin = product.person("Alex Morgan");
    const staff = await newPerson(browser, product.url);
    await signInStaff(staff.page, admin, authenticator);
    await staff.page.getByRole("link", { name: "Broadcasts" }).click();
    await staff.page.getByRole("heading", { name: "Broadcasts", level: 1 }).waitFor();
    await expectAccessible(staff.page, "Clinic Settings › Broadcasts");

    await staff.page
      .getByLabel("Message text")
      .fill("Dr. Shah is away on Friday; your appointment moves to Monday.");
    await staff.page.getByLabel("A practitioner's patients").check();
    await staff.page.getByLabel("Practitioner", { exact: true }).selectOption({ label: "Dr. Priya Shah" });
    await staff.page.getByRole("button", { name: "Preview recipients" }).click();
    const preview = staff.page.getByRole("status").filter({ hasText: "receives it" });
    await preview.waitFor();
    expect(await preview.textContent()).toContain("1 patient receives it. 1 is skipped:");
    const skipped = staff.page.getByRole("row", { name: /Olivia Brown/ });
    await skipped.getByRole("cell", { name: "No active Patient Portal account" }).waitFor();
    await expectAccessible(staff.page, "broadcast preview");
    await shot(staff.page, "broadcast-preview-desktop");

    await staff.page.getByRole("button", { name: "Send broadcast" }).click();
    await staff.page.getByRole("heading", { name: "Report" }).waitFor();
    await staff.page
      .getByText("1 sent, 1 skipped, 0 failed, 0 cancelled, 0 waiting")
      .waitFor({ timeout: 20_000 });
    await staff.page
      .getByRole("row", { name: /Elena Garcia/ })
      .getByRole("cell", { name: "Sent" })
      .waitFor();
    await staff.page
      .getByRole("row", { name: /Olivia Brown/ })
      .getByRole("cell", { name: "No active Patient Portal account" })
      .waitFor();
    await expectAccessible(staff.page, "broadcast report");
    await shot(staff.page, "broadcast-report-desktop");

    // The recipient finds it in her own conversation, on her phone.
    const patient = await newPerson(browser, product.url, viewports.phone);
    await signInPatient(patient.page, product.person("Elena Garcia"));
    await patient.page.getByRole("link", { name: /Alex Morgan/ }).click();
    await patient.page.getByText("Dr. Shah is away on Friday; your appointment moves to Monday.").waitFor();
    await shot(patient.page, "broadcast-received-phone");

    // The admin's page on a phone.
    const phone = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(phone.page, admin, authenticator);
    await phone.page.goto(`${product.url}/staff/settings/broadcasts`);
    await phone.page.getByRole("heading", { name: "Broadcasts", level: 1 }).waitFor();
    await phone.page
      .getByRole("button", { name: /View the report/ })
      .first()
      .click();
    await phone.page.getByText("1 sent, 1 skipped, 0 failed, 0 cancelled, 0 waiting").waitFor();
    await expectAccessible(phone.page, "Broadcasts on a phone");
    await shot(phone.page, "broadcast-report-phone");
  }, 180_000);
});
