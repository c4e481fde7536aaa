import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson } from "./support/browser";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const header = "Host ID,First Name,Last Name,Date of Birth,Email,Mobile,SMS Consent";
function line(i: number, lastName = `Importee${i}`): string {
  const day = String((i % 28) + 1).padStart(2, "0");
  return `E2E-${i},Ivy,${lastName},1979-05-${day},ivy${i}@example.test,+44 7700 9${String(i).padStart(5, "0")},yes`;
}
function csv(lines: readonly string[]): Buffer {
  return Buffer.from(`${header}\n${lines.join("\n")}\n`);
}

async function choose(page: Page, file: Buffer): Promise<void> {
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: "patients.csv", mimeType: "text/csv", buffer: file });
}

describe("ADMIN-3 ADMIN-5: patients in the staff app, in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("ADMIN-3: imports 50 patients from CSV (3 bad rows reported, fixed, re-imported without duplicates), adds and edits one, disables and re-enables a portal account (ELIG-6); ADMIN-5: the date of birth shows", async () => {
    const admin = product.person("Alex Morgan");
    const { context, page } = await newPerson(browser, product.url);
    await signInStaff(page, admin, authenticator);

    await page.goto("/staff/patients");
    await page.getByRole("link", { name: "Import from CSV" }).click();
    await page.getByRole("heading", { name: "Import patients", level: 1 }).waitFor();
    await expectAccessible(page, "Import patients");

    const bad = new Map<number, string>([
      [9, "E2E-9,Ivy,Importee9,1979-02-30,ivy9@example.test,,no"],
      [20, "E2E-20,,,1979-05-01,ivy20@example.test,,no"],
      [41, "E2E-41,Ivy,Importee41,1979-05-01,ivy41@example.test,,maybe"],
    ]);
    const lines = Array.from({ length: 50 }, (_, i) => bad.get(i) ?? line(i));
    await choose(page, csv(lines));
    await page.getByText("47 new, 0 to update, 3 with problems.").waitFor();
    const problems = page.getByRole("table", { name: /Rows to fix/ });
    expect(await problems.locator("tbody tr").count()).toBe(3);
    await problems.getByRole("row", { name: /^10 Date of birth is not a real date/ }).waitFor();
    await problems.getByRole("row", { name: /^21 Name is missing/ }).waitFor();
    await problems.getByRole("row", { name: /^42 SMS consent must be yes or no/ }).waitFor();
    expect(await page.getByRole("button", { name: /^Import \d+ patients$/ }).count()).toBe(0);
    await expectAccessible(page, "Import preview with bad rows");

    const fixed = Array.from({ length: 50 }, (_, i) => line(i));
    await choose(page, csv(fixed));
    await page.getByText("50 new, 0 to update, 0 with problems.").waitFor();
    await page.getByRole("button", { name: "Import 50 patients" }).click();
    await page.getByText("Imported: 50 added, 0 updated.").waitFor();

    await choose(page, csv(fixed.map((l, i) => (i === 3 ? line(3, "Renamed3") : l))));
    await page.getByText("0 new, 50 to update, 0 with problems.").waitFor();
    await page.getByRole("button", { name: "Import 50 patients" }).click();
    await page.getByText("Imported: 0 added, 50 updated.").waitFor();

    await page.goto("/staff/patients");
    await page.getByRole("link", { name: "Add patient" }).click();
    await page.getByRole("heading", { name: "Add patient", level: 1 }).waitFor();
    await expectAccessible(page, "Add patient");
    await page.getByLabel("Name").fill("Aaron Aardvark");
    await page.getByLabel("Date of birth").fill("1984-03-12");
    await page.getByLabel("Mobile phone").fill("+44 7700 900123");
    await page.getByRole("button", { name: "Add patient" }).click();
    await page.getByRole("heading", { name: "Patient File", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "Aaron Aardvark", level: 2 }).waitFor();
    await page.getByText("12 Mar 1984").waitFor();
    await expectAccessible(page, "Patient File of an added patient");

    await page.getByRole("button", { name: "Edit details" }).click();
    await page.getByLabel("Date of birth").fill("1984-03-13");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("13 Mar 1984").waitFor();

    await page.goto("/staff/patients");
    const row = page.getByRole("row", { name: /Aaron Aardvark/ });
    await row.getByText("13 Mar 1984").waitFor();
    expect(await page.getByRole("row", { name: /Ivy Importee1\b/ }).count()).toBeLessThanOrEqual(1);
    await expectAccessible(page, "Patients with dates of birth");

    // The start-chat search tells namesakes apart by date of birth too.
    await page.goto("/staff/chat");
    await page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByRole("radio", { name: "Patient" }).check();
    await dialog.getByLabel("Search patients by name").fill("Aardvark");
    await dialog.getByText("13 Mar 1984").waitFor();
    await expectAccessible(page, "Start a chat with a patient, dates of birth shown");

    // ELIG-6: disabling a portal account signs the patient out; re-enabled, they sign in again.
    const elena = product.person("Elena Garcia");
    const portal = await newPerson(browser, product.url);
    await signInPatient(portal.page, elena);
    await page.goto(`/staff/patients/${elena.personId}`);
    await page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Disable portal account" }).click();
    await page.getByRole("button", { name: "Re-enable portal account" }).waitFor();
    await expectAccessible(page, "Patient File of a disabled portal account");
    await portal.page.goto("/portal/chat");
    await portal.page.getByLabel("Password").waitFor();
    await page.getByRole("button", { name: "Re-enable portal account" }).click();
    await page.getByRole("button", { name: "Disable portal account" }).waitFor();
    await signInPatient(portal.page, elena);
    await portal.context.close();
    await context.close();
  });
});
