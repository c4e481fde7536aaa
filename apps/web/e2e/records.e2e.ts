import { readFile } from "node:fs/promises";
import { createClinicChat } from "@clinic-chat/domain";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const shots = process.env.RECORDS_SHOTS;

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

const holdWords = "Unavailable: the clinic keeps these records under a legal hold.";

describe("records in the browser: retention, legal hold, PDF export", () => {
  let product: TestProduct;
  let browser: Browser;
  let conversationId: string;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });
  beforeAll(async () => {
    const alex = product.person("Alex Morgan");
    const elena = product.person("Elena Garcia");
    const chat = createClinicChat(product.product.domain);
    const admin = { clinicId: alex.clinicId, person: { kind: "staff" as const, id: alex.personId } };
    ({
      conversation: { id: conversationId },
    } = await chat.startPatientChat(admin, { patientId: elena.personId }));
    await chat.sendMessage(admin, { conversationId, clientId: "records-1", text: "Your results are in." });
  });

  it("REC-3 REC-4 REC-5: an admin sets retention, places a hold that disables Delete with the reason and shows On hold in the Patients list, and exports the conversation as a PDF", async () => {
    const alex = product.person("Alex Morgan");
    const elena = product.person("Elena Garcia");
    const a = await newPerson(browser, product.url);
    await signInStaff(a.page, alex, authenticator);

    // REC-3: Clinic Settings › Records.
    await a.page.getByRole("link", { name: "Records" }).click();
    await a.page.getByRole("heading", { name: "Records", level: 1 }).waitFor();
    await a.page.getByLabel("For a set time, then delete them").check();
    await a.page.getByLabel("Delete messages older than").fill("7");
    await a.page.getByLabel("Unit").selectOption("years");
    await a.page.getByRole("button", { name: "Save" }).click();
    await a.page.getByText("Saved.").waitFor();
    await a.page.getByText("Set by Alex Morgan.").waitFor();
    await expectAccessible(a.page, "Clinic Settings › Records");
    await shot(a.page, "records-settings-desktop");
    // Out of bounds: Save stays off.
    await a.page.getByLabel("Unit").selectOption("days");
    await a.page.getByLabel("Delete messages older than").fill("10");
    expect(await a.page.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);

    // REC-4: the hold on Elena's Patient File.
    await a.page.goto(`/staff/patients/${elena.personId}`);
    await a.page.getByRole("heading", { name: "Legal hold" }).waitFor();
    await a.page.getByRole("button", { name: "Place a legal hold" }).click();
    await a.page.getByLabel("Reason").fill("Records requested by the insurer's counsel");
    await a.page.getByRole("button", { name: "Place the hold" }).click();
    await a.page.getByText("On hold").waitFor();
    await a.page.getByText("Records requested by the insurer's counsel").waitFor();
    await a.page.getByText("Alex Morgan", { exact: true }).waitFor();
    await expectAccessible(a.page, "Patient File with a legal hold");
    await shot(a.page, "records-patient-hold-desktop");
    // The Patients list says who is on hold.
    await a.page.goto("/staff/patients");
    const elenaRow = a.page.getByRole("row", { name: /Elena Garcia/ });
    await elenaRow.getByText("On hold").waitFor();
    expect(await a.page.locator("tbody tr", { hasText: "On hold" }).count()).toBe(1);
    await expectAccessible(a.page, "Patients list with a patient on hold");
    await shot(a.page, "records-patient-list-hold-desktop");

    // Delete is there, disabled, and says why.
    await a.page.goto(`/staff/chat/${conversationId}`);
    await a.page.getByText("Your results are in.").hover();
    await a.page.getByRole("button", { name: /^Actions for your message/ }).click();
    const remove = a.page.getByRole("menuitem", { name: /Delete/ });
    await remove.waitFor();
    expect(await remove.getAttribute("aria-disabled")).toBe("true");
    expect(await remove.textContent()).toContain(holdWords);
    await expectAccessible(a.page, "message menu under a legal hold");
    await shot(a.page, "records-delete-held-desktop");
    // Focus is on it: Enter does nothing but leave it there.
    await a.page.keyboard.press("Enter");
    expect(await a.page.getByRole("alertdialog").count()).toBe(0);
    await a.page.keyboard.press("Escape");

    // REC-5: Export PDF downloads the transcript.
    await a.page.getByRole("button", { name: "Conversation actions" }).click();
    const [download] = await Promise.all([
      a.page.waitForEvent("download"),
      a.page.getByRole("menuitem", { name: "Export PDF" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`conversation-${conversationId}.pdf`);
    const path = await download.path();
    expect((await readFile(path)).subarray(0, 5).toString()).toBe("%PDF-");
    await a.page.getByText("Export downloaded.").waitFor({ state: "attached" });
    await expectAccessible(a.page, "conversation after the PDF export");

    // The same on a phone.
    const phone = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(phone.page, alex, authenticator);
    await phone.page.goto(`/staff/patients/${elena.personId}`);
    await phone.page.getByText("On hold").waitFor();
    await phone.page.getByRole("heading", { name: "Legal hold" }).scrollIntoViewIfNeeded();
    await expectAccessible(phone.page, "Patient File with a legal hold on a phone");
    await shot(phone.page, "records-patient-hold-phone");
    await phone.page.goto("/staff/patients");
    await phone.page
      .getByRole("row", { name: /Elena Garcia/ })
      .getByText("On hold")
      .waitFor();
    await expectAccessible(phone.page, "Patients list with a patient on hold on a phone");
    await shot(phone.page, "records-patient-list-hold-phone");
    await phone.page.goto(`/staff/chat/${conversationId}`);
    await phone.page.getByRole("button", { name: /^Actions for your message/ }).click();
    await phone.page.getByRole("menuitem", { name: /Delete/ }).waitFor();
    await expectAccessible(phone.page, "message menu under a legal hold on a phone");
    await shot(phone.page, "records-delete-held-phone");
    await phone.page.goto("/staff/settings/records");
    await phone.page.getByText("Set by Alex Morgan.").waitFor();
    await expectAccessible(phone.page, "Clinic Settings › Records on a phone");
    await shot(phone.page, "records-settings-phone");
  }, 300_000);
});
