import { createClinicChat } from "@clinic-chat/domain";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const shots = process.env.INBOX_SHOTS;

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** A weekday's box on the settings page: its fieldset, named by its legend. */
const day = (page: Page, name: string) => page.getByRole("group", { name, exact: true });

describe("Clinic Settings › Office hours in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("HOURS-1: an admin on a phone keeps a lunch break, copies Monday to the working days, keeps and removes closed dates; a refused day is named beside its field", async () => {
    const alex = product.person("Alex Morgan");
    const admin = await newPerson(browser, product.url, viewports.phone);
    const page = admin.page;
    await signInStaff(page, alex, authenticator);
    await page.goto("/staff/settings/office-hours");
    await page.getByRole("heading", { name: "Office hours", level: 1 }).waitFor();
    await expectAccessible(page, "Clinic Settings › Office hours on a phone");

    // Monday: 09:00–12:00 and 13:00–17:00, a lunch break between.
    const monday = day(page, "Monday");
    await monday.getByLabel("Open on Monday").check();
    await monday.getByLabel("Monday closes at").fill("12:00");
    await monday.getByRole("button", { name: "Add opening hours on Monday" }).click();
    await monday.getByLabel("Monday opens at (period 2)").fill("13:00");
    await monday.getByLabel("Monday closes at (period 2)").fill("17:00");
    await expectAccessible(page, "Office hours with a lunch break");

    // Copied to Tuesday–Friday (the working days are ticked), not to the weekend.
    await monday.getByText("Copy Monday's hours…").click();
    await monday.getByRole("button", { name: "Copy to the days ticked" }).click();
    await page
      .getByText("Monday's hours copied to Tuesday, Wednesday, Thursday, Friday.")
      .waitFor({ state: "attached" });
    expect(await day(page, "Friday").getByLabel("Friday opens at (period 2)").inputValue()).toBe("13:00");
    expect(await day(page, "Saturday").getByLabel("Open on Saturday").isChecked()).toBe(false);
    // Wednesday afternoons closed: its second period removed.
    await day(page, "Wednesday").getByRole("button", { name: "Remove Wednesday period 2" }).click();

    // Two closed dates, one of them removed again; a date twice is refused before adding.
    await page.getByLabel("Closed dates").fill("2030-12-25");
    await page.getByRole("button", { name: "Add date" }).click();
    await page.getByLabel("Closed dates").fill("2030-12-26");
    await page.getByRole("button", { name: "Add date" }).click();
    await page.getByLabel("Closed dates").fill("2030-12-25");
    await page.getByText(/is already a closed date/).waitFor();
    expect(await page.getByRole("button", { name: "Add date" }).isDisabled()).toBe(true);
    await page.getByLabel("Closed dates").fill("");
    const kept = page.getByRole("list", { name: "Dates the clinic is closed" });
    await kept.getByRole("button", { name: /^Remove .*26/ }).click();
    expect(await kept.getByRole("listitem").count()).toBe(1);
    await shot(page, "office-hours-phone");

    await page.getByRole("button", { name: "Save office hours" }).click();
    await page.getByText("Office hours saved.").waitFor();
    const chat = createClinicChat(product.product.domain);
    const actor = { clinicId: alex.clinicId, person: { kind: "staff" as const, id: alex.personId } };
    const saved = await chat.officeHours(actor);
    expect(saved.weekly.monday).toEqual([
      { opens: 540, closes: 720 },
      { opens: 780, closes: 1020 },
    ]);
    expect(saved.weekly.friday).toEqual(saved.weekly.monday);
    expect(saved.weekly.wednesday).toEqual([{ opens: 540, closes: 720 }]);
    expect(saved.weekly.saturday).toEqual([]);
    expect(saved.closedDates).toEqual(["2030-12-25"]);

    // Thursday's afternoon now starts before its morning ends: the domain refuses it, naming Thursday.
    await day(page, "Thursday").getByLabel("Thursday opens at (period 2)").fill("11:00");
    await page.getByRole("button", { name: "Save office hours" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "Thursday" });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(
      "Not saved. Thursday: each opening period must close after it opens",
    );
    const thursdayOpens = day(page, "Thursday").getByLabel("Thursday opens at (period 2)");
    expect(await thursdayOpens.getAttribute("aria-invalid")).toBe("true");
    expect(
      await day(page, "Monday").getByLabel("Monday opens at (period 2)").getAttribute("aria-invalid"),
    ).toBeNull();
    await expectAccessible(page, "Office hours with a refused day");
    await shot(page, "office-hours-refused-phone");
    expect((await chat.officeHours(actor)).weekly.thursday).toEqual(saved.weekly.thursday);
  }, 240_000);

  it("HOURS-1: on a desktop the week reads at a glance, and a staff member who is not an admin cannot change it", async () => {
    const desktop = await newPerson(browser, product.url, viewports.desktop);
    await signInStaff(desktop.page, product.person("Alex Morgan"), authenticator);
    await desktop.page.getByRole("link", { name: "Office hours" }).click();
    await desktop.page.getByRole("heading", { name: "Office hours", level: 1 }).waitFor();
    await day(desktop.page, "Monday").getByLabel("Monday opens at (period 2)").waitFor();
    await expectAccessible(desktop.page, "Clinic Settings › Office hours on a desktop");
    await shot(desktop.page, "office-hours-week-desktop");

    const jordan = await newPerson(browser, product.url, viewports.desktop);
    await signInStaff(jordan.page, product.person("Jordan Lee"), authenticator);
    await jordan.page.goto("/staff/settings/office-hours");
    await jordan.page.getByText("Only a clinic admin can change office hours.").waitFor();
    expect(await jordan.page.getByRole("button", { name: "Save office hours" }).isDisabled()).toBe(true);
    expect(await day(jordan.page, "Monday").getByLabel("Monday closes at (period 1)").isDisabled()).toBe(
      true,
    );
  }, 180_000);
});
