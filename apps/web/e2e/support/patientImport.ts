import type { Page } from "playwright-core";
import { expect } from "vitest";
import { expectAccessible } from "./axe";
import { shoot } from "./firstDay";

/** The imported patient who joins the Patient Portal and chats. */
export const rosa = {
  name: "Rosa Delgado",
  email: "rosa.delgado@mail.example",
  birthDateShown: "23 Apr 1986",
} as const;

const header = "Host ID,First Name,Last Name,Date of Birth,Email,Mobile,SMS Consent";
const firstNames = ["Noah", "Mia", "Liam", "Ava", "Ezra", "Iris", "Omar", "Lucia", "Theo", "June"];
const lastNames = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Castillo"];

/**
 * A clinic's export of 50 patients: row 1 is Rosa; with `withBadRows`, rows 10, 21 and 42 carry
 * a date that does not exist, no name, and an SMS consent that is neither yes nor no.
 */
export function patientsCsv({ withBadRows }: { readonly withBadRows: boolean }): Buffer {
  const rows = Array.from({ length: 50 }, (_, i) => {
    const id = `HL-${String(i + 1).padStart(4, "0")}`;
    if (i === 0) return `${id},Rosa,Delgado,1986-04-23,${rosa.email},+1 415 555 0100,yes`;
    const first = firstNames[i % firstNames.length];
    const last = lastNames[Math.floor(i / firstNames.length) % lastNames.length];
    const birth = `19${50 + (i % 50)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
    const good = `${id},${first},${last},${birth},,+1 415 555 ${String(1000 + i)},no`;
    if (!withBadRows) return good;
    if (i === 9) return `${id},${first},${last},1980-02-30,,,no`;
    if (i === 20) return `${id},,,${birth},,,no`;
    if (i === 41) return `${id},${first},${last},${birth},,,maybe`;
    return good;
  });
  return Buffer.from(`${header}\n${rows.join("\n")}\n`);
}

/**
 * ADMIN-3 as an admin walks it from the Patients page: the file with 3 bad rows is previewed with
 * an error for each and nothing is written; the fixed file imports 50; the same file again updates
 * all 50 by host id and adds nobody. `counts` reads the database between the steps.
 */
export async function importFiftyPatients(
  page: Page,
  counts: () => Promise<{ patients: number; hostIds: number }>,
): Promise<void> {
  expect((await counts()).patients).toBe(0);
  await page.getByRole("link", { name: "Patients" }).click();
  await page.getByRole("heading", { name: "Patients", level: 1 }).waitFor();
  await expectAccessible(page, "Patients, none yet");
  await page.getByRole("link", { name: "Import from CSV" }).click();
  await page.getByRole("heading", { name: "Import patients", level: 1 }).waitFor();
  await expectAccessible(page, "Import patients");
  const choose = (file: Buffer) =>
    page.getByLabel("CSV file").setInputFiles({ name: "patients.csv", mimeType: "text/csv", buffer: file });

  await choose(patientsCsv({ withBadRows: true }));
  await page.getByText("47 new, 0 to update, 3 with problems.").waitFor();
  const problems = page.getByRole("table", { name: /Rows to fix/ });
  expect(await problems.locator("tbody tr").count()).toBe(3);
  await problems.getByRole("row", { name: /^10 Date of birth is not a real date/ }).waitFor();
  await problems.getByRole("row", { name: /^21 Name is missing/ }).waitFor();
  await problems.getByRole("row", { name: /^42 SMS consent must be yes or no/ }).waitFor();
  expect(await page.getByRole("button", { name: /^Import \d+ patients$/ }).count()).toBe(0);
  await expectAccessible(page, "Import preview with 3 bad rows");
  await shoot(page, "import-bad-rows");
  expect((await counts()).patients).toBe(0);

  // Fixed and imported; then the same file again updates by host id and adds nobody.
  const fixed = patientsCsv({ withBadRows: false });
  await choose(fixed);
  await page.getByText("50 new, 0 to update, 0 with problems.").waitFor();
  await shoot(page, "import-preview-ok");
  expect((await counts()).patients).toBe(0);
  await page.getByRole("button", { name: "Import 50 patients" }).click();
  await page.getByText("Imported: 50 added, 0 updated.").waitFor();
  expect((await counts()).patients).toBe(50);
  await choose(fixed);
  await page.getByText("0 new, 50 to update, 0 with problems.").waitFor();
  await page.getByRole("button", { name: "Import 50 patients" }).click();
  await page.getByText("Imported: 0 added, 50 updated.").waitFor();
  expect(await counts()).toEqual({ patients: 50, hostIds: 50 });
  await page.goto("/staff/patients");
  await page
    .getByRole("row", { name: new RegExp(rosa.name) })
    .getByText(rosa.birthDateShown)
    .waitFor();
  await expectAccessible(page, "Patients after the import");
  await shoot(page, "patients");
}
