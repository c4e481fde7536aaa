import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const pad = (n: number) => String(n).padStart(2, "0");
/** Tomorrow as the date picker's value, in this machine's (and so the browser's) time zone. */
function tomorrow(): string {
  const d = new Date(Date.now() + 24 * 60 * 60 * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function pick(page: Page, label: string, query: string, name: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(query);
  await page.getByRole("radio", { name }).click();
  await page.getByRole("button", { name: `Change ${label.toLowerCase()}` }).waitFor();
}

describe("ADMIN-4: appointments booked, moved and cancelled in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("ADMIN-4: staff book from the Appointments page, move and cancel on Appointment Details (axe at each step)", async () => {
    const alex = product.person("Alex Morgan");
    const { context, page } = await newPerson(browser, product.url);
    await signInStaff(page, alex, authenticator);
    await page.goto("/staff/appointments");
    await page.getByRole("link", { name: "Book an appointment" }).click();
    await page.getByRole("heading", { name: "Book an appointment", level: 1 }).waitFor();
    await expectAccessible(page, "Book an appointment");

    await page.getByRole("button", { name: "Book appointment" }).click();
    await page.getByText("Choose the patient.").waitFor();
    await pick(page, "Patient", "Marcus", "Marcus Chen");
    await pick(page, "Practitioner", "Priya", "Dr. Priya Shah");
    await page.getByLabel("Day").fill(tomorrow());
    await page.getByLabel("Start time").fill("10:00");
    await page.getByLabel("Length").selectOption("30");
    await expectAccessible(page, "Book an appointment, filled in");
    await page.getByRole("button", { name: "Book appointment" }).click();

    await page.getByRole("heading", { name: "Appointment Details", level: 1 }).waitFor();
    const details = page.locator(".details__list");
    await details.getByText("Marcus Chen").waitFor();
    await details.getByText("Scheduled").waitFor();
    expect(await details.textContent()).toMatch(/10:00/);
    await expectAccessible(page, "Appointment Details, scheduled");

    await page.getByRole("button", { name: "Move" }).click();
    await page.getByLabel("Start time").fill("11:30");
    await expectAccessible(page, "Move an appointment");
    await page.getByRole("button", { name: "Move appointment" }).click();
    await page.getByText("The appointment is moved.").waitFor();
    await details.getByText(/11:30/).waitFor();

    await page.getByRole("button", { name: "Cancel appointment" }).click();
    await expectAccessible(page, "Cancel an appointment");
    await page.getByRole("button", { name: "Yes, cancel the appointment" }).click();
    await details.getByText("Cancelled").waitFor();
    expect(await page.getByRole("button", { name: "Move" }).count()).toBe(0);
    await context.close();
  });

  it("ADMIN-4: from the Patient File on a phone, the patient is already chosen", async () => {
    const jordan = product.person("Alex Morgan");
    const marcus = product.person("Marcus Chen");
    const { context, page } = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(page, jordan, authenticator);
    await page.goto(`/staff/patients/${marcus.personId}`);
    await page.getByRole("link", { name: "Book an appointment" }).click();
    await page.getByRole("heading", { name: "Book an appointment", level: 1 }).waitFor();
    await page.getByText("Marcus Chen").waitFor();
    await pick(page, "Practitioner", "Priya", "Dr. Priya Shah");
    await page.getByLabel("Day").fill(tomorrow());
    await page.getByLabel("Start time").fill("14:15");
    await expectAccessible(page, "Book an appointment on a phone");
    // Nothing sticks out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewports.phone.width,
    );
    await page.getByRole("button", { name: "Book appointment" }).click();
    await page.getByRole("heading", { name: "Appointment Details", level: 1 }).waitFor();
    await page
      .locator(".details__list")
      .getByText(/14:15|2:15/)
      .waitFor();
    await context.close();
  });
});
