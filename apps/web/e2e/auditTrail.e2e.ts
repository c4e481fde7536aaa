import { readFile } from "node:fs/promises";
import { createClinicChat } from "@clinic-chat/domain";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { pdfBytes } from "./support/files";
import { Authenticator, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

/** Where the screenshots go: AUDIT_SHOTS, when set. */
const shots = process.env.AUDIT_SHOTS;

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

describe("REC-6 REC-7: the audit trail and emergency access in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("REC-6: 'who downloaded this patient's files last week?' in three clicks from the Patient File, in words, exported as CSV; REC-7: emergency access with a reason, read-only; desktop and phone", async () => {
    const alex = product.person("Alex Morgan");
    const priya = product.person("Dr. Priya Shah");
    const jordan = product.person("Jordan Lee");
    const elena = product.person("Elena Garcia");
    // Dr. Shah shares Elena's MRI in their conversation; Jordan Lee, added to it, downloads it.
    const chat = createClinicChat(product.product.domain);
    const actor = (p: typeof priya) => ({
      clinicId: p.clinicId,
      person: { kind: "staff" as const, id: p.personId },
    });
    const { conversation } = await chat.startPatientChat(actor(priya), { patientId: elena.personId });
    await chat.addParticipant(actor(priya), { conversationId: conversation.id, staffId: jordan.personId });
    await chat.sendMessage(actor(priya), {
      conversationId: conversation.id,
      clientId: "mri-note",
      text: "Your MRI is attached.",
    });
    const upload = await chat.requestFileUpload(actor(priya), {
      conversationId: conversation.id,
      clientId: "mri",
      fileName: "MRI.pdf",
      sizeBytes: pdfBytes.length,
      contentType: "application/pdf",
    });
    const put = await fetch(upload.upload.url, {
      method: upload.upload.method,
      headers: upload.upload.headers,
      body: new Uint8Array(pdfBytes),
    });
    expect(put.ok).toBe(true);
    await chat.confirmFileUpload(actor(priya), { fileId: upload.fileId });
    await expect
      .poll(async () => (await chat.uploadState(actor(priya), { fileId: upload.fileId })).state, {
        timeout: 60_000,
      })
      .toBe("shared");
    await chat.downloadFile(actor(jordan), { fileId: upload.fileId });

    const desktop = await newPerson(browser, product.url);
    const page = desktop.page;
    await signInStaff(page, alex, authenticator);
    await page.goto("/staff/patients");
    await page
      .getByRole("link", { name: /Elena Garcia/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "Patient File", level: 1 }).waitFor();

    // Three clicks: the patient's audit trail, the action, the last 7 days.
    await page.getByRole("link", { name: "Audit trail for this patient" }).click();
    await page.getByRole("heading", { name: "Audit trail", level: 1 }).waitFor();
    await page.getByText("Patient: Elena Garcia (b. 1986-03-14)").waitFor();
    await page.getByLabel("Action").selectOption({ label: "Downloaded a file" });
    await page.getByRole("radio", { name: "Last 7 days" }).check();
    const records = page.getByRole("list", { name: "Audit records, newest first" });
    const answer =
      "Jordan Lee (staff) downloaded MRI.pdf from the conversation with Elena Garcia (b. 1986-03-14)";
    await records.getByText(answer).waitFor();
    await expect.poll(() => records.getByRole("listitem").count()).toBe(1);
    await expectAccessible(page, "the audit trail filtered by patient, action and the last 7 days");
    await shot(page, "audit-trail-filtered-desktop");

    // REC-6: the filtered trail as CSV; the export is itself audited.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export as CSV" }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    expect(csv).toContain(answer);
    expect(csv.trim().split("\r\n")).toHaveLength(2);
    await page.getByText("Exported 1 record.").waitFor();
    await page.getByRole("button", { name: /^Remove the filter Patient/ }).click();
    await page.getByLabel("Action").selectOption({ label: "Exported the audit trail" });
    await records.getByText("Alex Morgan (admin) exported the audit trail as CSV").waitFor();

    // REC-7: Alex is not in the conversation: emergency access, with a reason.
    await page.getByLabel("Action").selectOption({ label: "Downloaded a file" });
    await records.getByText(answer).waitFor();
    await records.getByRole("link", { name: "Open the conversation" }).click();
    await page.getByRole("heading", { name: "Emergency access", level: 1 }).waitFor();
    await page.getByText("You're not part of this patient conversation.").waitFor();
    expect(await page.getByText("Your MRI is attached.").count()).toBe(0);
    await expectAccessible(page, "emergency access: the reason form");
    await shot(page, "emergency-reason-desktop");
    const open = page.getByRole("button", { name: "Open in an emergency" });
    expect(await open.isDisabled()).toBe(true);
    await page.getByLabel("Reason (required)").fill("Elena called: chest pain, Dr. Shah is in surgery");
    await open.click();
    await page
      .getByText(/^Emergency access until .+ You can read this conversation but not write in it/)
      .waitFor();
    await page.getByText("Your MRI is attached.").waitFor();
    await page.getByRole("button", { name: "Download MRI.pdf" }).waitFor();
    expect(await page.getByRole("textbox").count()).toBe(0);
    await expectAccessible(page, "emergency access: the conversation read-only");
    await shot(page, "emergency-read-only-desktop");

    // The trail tells it, with the reason kept beside it for admins.
    await page.goto("/staff/audit");
    await page
      .getByText(
        "Alex Morgan (admin) opened the conversation with Elena Garcia (b. 1986-03-14) with emergency access",
      )
      .first()
      .waitFor();
    await page.getByRole("heading", { name: "Emergency access in the last 30 days" }).waitFor();
    await page.getByText(/Reason: “Elena called: chest pain, Dr. Shah is in surgery”/).waitFor();
    await expectAccessible(page, "the audit trail with emergency access");
    await shot(page, "audit-trail-emergency-desktop");

    // On a phone: the same trail and the read-only conversation, without sideways scrolling.
    const phone = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(phone.page, alex, authenticator);
    await phone.page.goto(`/staff/audit?patient=${elena.personId}`);
    await phone.page.getByText("Patient: Elena Garcia (b. 1986-03-14)").waitFor();
    await phone.page.getByRole("radio", { name: "Last 7 days" }).check();
    await phone.page.getByText(answer).first().waitFor();
    await expectAccessible(phone.page, "the audit trail (phone)");
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone.page, "audit-trail-phone");
    await phone.page.goto(`/staff/emergency/${conversation.id}`);
    await phone.page.getByText("Your MRI is attached.").waitFor();
    await expectAccessible(phone.page, "emergency access read-only (phone)");
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone.page, "emergency-read-only-phone");
    await desktop.context.close();
    await phone.context.close();
  }, 600_000);
});
