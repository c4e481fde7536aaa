import { createClinicChat } from "@clinic-chat/domain";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { pdfBytes } from "./support/files";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const shots = process.env.ERASE_SHOTS;

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

const holdWords =
  "This patient's records are under a legal hold, so nothing in their conversations can be deleted until an admin lifts it.";
const readOnlyWords =
  "This patient was erased. The conversation keeps only who deleted what and when; nothing can be sent.";

describe("REC-2: erasing a whole patient in the browser", () => {
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
    await chat.sendMessage(admin, { conversationId, clientId: "erase-1", text: "Your results are in." });
  });

  it("REC-2 REC-4: a hold refuses the erasure with its sentence; lifted, the admin types the name and a reason, erases; the file, list, conversation and the patient's session show it, desktop and phone", async () => {
    const alex = product.person("Alex Morgan");
    const elena = product.person("Elena Garcia");

    // The patient, signed in in their own browser, replies with text and a file.
    const patient = await newPerson(browser, product.url);
    await signInPatient(patient.page, elena);
    await patient.page.goto(`/portal/chat/${conversationId}`);
    await patient.page.getByText("Your results are in.").waitFor();
    await patient.page.getByRole("textbox", { name: "Message" }).fill("Thank you, I will read them tonight.");
    await patient.page.keyboard.press("Enter");
    await patient.page.getByText("Thank you, I will read them tonight.").waitFor();
    const [chooser] = await Promise.all([
      patient.page.waitForEvent("filechooser"),
      patient.page.getByRole("button", { name: "Attach a file" }).click(),
    ]);
    await chooser.setFiles({ name: "insurance-card.pdf", mimeType: "application/pdf", buffer: pdfBytes });
    await patient.page
      .locator(".message", { hasText: "insurance-card.pdf" })
      .getByRole("button", { name: /Download/ })
      .waitFor();

    const a = await newPerson(browser, product.url);
    await signInStaff(a.page, alex, authenticator);
    await a.page.goto(`/staff/chat/${conversationId}`);
    await a.page.locator(".message", { hasText: "insurance-card.pdf" }).waitFor();
    await a.page.getByText("Thank you, I will read them tonight.").waitFor();

    // REC-4: with a legal hold placed, the erasure is refused with the hold's sentence.
    await a.page.goto(`/staff/patients/${elena.personId}`);
    await a.page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    const card = a.page.getByRole("region", { name: "Erase patient" });
    await card.getByRole("button", { name: "Erase patient…" }).waitFor();
    await a.page.getByRole("button", { name: "Place a legal hold" }).click();
    await a.page
      .getByRole("region", { name: "Legal hold" })
      .getByLabel("Reason")
      .fill("Records requested by the insurer's counsel");
    await a.page.getByRole("button", { name: "Place the hold" }).click();
    await a.page.getByText("On hold").waitFor();

    await card.getByRole("button", { name: "Erase patient…" }).click();
    const erase = card.getByRole("button", { name: "Erase this patient" });
    const typed = card.getByLabel("Type the patient's name to confirm");
    await card.getByLabel("Reason").fill("The patient asked for their records to be erased");
    await typed.fill("Elena Garcia");
    expect(await erase.isEnabled()).toBe(true);
    await erase.click();
    await card.getByText(holdWords).waitFor();
    await card.scrollIntoViewIfNeeded();
    await expectAccessible(a.page, "Erase patient refused under a legal hold");
    await shot(a.page, "erase-held-desktop");
    // Nothing changed: the file, the list and the conversation are as they were.
    await a.page.reload();
    await a.page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    await a.page.goto("/staff/patients");
    await a.page.getByRole("row", { name: /Elena Garcia/ }).waitFor();
    await a.page.goto(`/staff/chat/${conversationId}`);
    await a.page.locator(".message", { hasText: "insurance-card.pdf" }).waitFor();
    expect(await a.page.locator(".message--deleted").count()).toBe(0);

    // The hold is lifted.
    await a.page.goto(`/staff/patients/${elena.personId}`);
    a.page.once("dialog", (dialog) => void dialog.accept());
    await a.page.getByRole("button", { name: "Lift the hold" }).click();
    await a.page.getByRole("button", { name: "Place a legal hold" }).waitFor();

    // A wrong name keeps the button off; the right one (any letter case) and a reason turn it on.
    await card.getByRole("button", { name: "Erase patient…" }).click();
    await typed.fill("Elena Garci");
    await card.getByLabel("Reason").fill("The patient asked for their records to be erased");
    expect(await erase.isDisabled()).toBe(true);
    await typed.fill("Elena Garcia Lopez");
    expect(await erase.isDisabled()).toBe(true);
    await card.scrollIntoViewIfNeeded();
    await expectAccessible(a.page, "Patient File with the Erase patient form open");
    await shot(a.page, "erase-form-desktop");
    await typed.fill("elena  garcia");
    expect(await erase.isEnabled()).toBe(true);
    await card.getByLabel("Reason").fill("");
    expect(await erase.isDisabled()).toBe(true);
    await card.getByLabel("Reason").fill("The patient asked for their records to be erased");
    await erase.click();

    // The erased file: who, when, why; nothing of who the patient was.
    await a.page.getByRole("heading", { name: "Erased patient", level: 2 }).waitFor();
    const erased = a.page.getByRole("region", { name: "Erased patient" });
    await erased.getByText("Alex Morgan", { exact: true }).waitFor();
    await erased.getByText("The patient asked for their records to be erased").waitFor();
    expect(await a.page.getByText("Elena Garcia").count()).toBe(0);
    expect(await a.page.getByRole("region", { name: "Erase patient" }).count()).toBe(0);
    await expectAccessible(a.page, "Patient File of an erased patient");
    await shot(a.page, "erased-file-desktop");

    // The patient list no longer lists them.
    await a.page.goto("/staff/patients");
    await a.page
      .getByRole("row", { name: /Marcus/ })
      .first()
      .waitFor();
    expect(await a.page.getByRole("row", { name: /Elena Garcia/ }).count()).toBe(0);

    // The conversation stays readable to staff: every message deleted, nothing can be sent.
    await a.page.goto(`/staff/chat/${conversationId}`);
    await a.page.getByText(readOnlyWords).waitFor();
    // Nothing brings it back to a queue: no inbox actions, no teammate to add.
    expect(await a.page.getByTestId("inbox-controls").count()).toBe(0);
    await expect.poll(() => a.page.locator(".message--deleted").count()).toBe(3);
    expect(await a.page.locator(".message:not(.message--deleted)").count()).toBe(0);
    expect(await a.page.getByText("insurance-card.pdf").count()).toBe(0);
    expect(await a.page.getByText("Your results are in.").count()).toBe(0);
    expect(await a.page.getByText("Thank you, I will read them tonight.").count()).toBe(0);
    expect(await a.page.getByRole("textbox", { name: "Message" }).count()).toBe(0);
    await expectAccessible(a.page, "the erased patient's conversation");
    await shot(a.page, "erased-conversation-desktop");

    // The patient's own browser: the open conversation loses the texts (DEL-4), and their next
    // load finds them signed out.
    await expect.poll(() => patient.page.getByText("Thank you, I will read them tonight.").count()).toBe(0);
    expect(await patient.page.getByText("insurance-card.pdf").count()).toBe(0);
    await patient.page.reload();
    await patient.page.getByLabel("Password").waitFor();
    expect(new URL(patient.page.url()).pathname).toBe("/portal/sign-in");
    await patient.context.close();
    await a.context.close();

    // The same on a phone: the card on another patient's file (not erased), then the erased file.
    const marcus = product.person("Marcus Chen");
    const phone = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(phone.page, alex, authenticator);

    await phone.page.goto(`/staff/patients/${marcus.personId}`);
    const phoneCard = phone.page.getByRole("region", { name: "Erase patient" });
    await phoneCard.getByRole("button", { name: "Erase patient…" }).click();
    await phoneCard.getByLabel("Type the patient's name to confirm").fill("Marcus");
    await phoneCard.getByLabel("Reason").fill("Duplicate record");
    const phoneErase = phoneCard.getByRole("button", { name: "Erase this patient" });
    expect(await phoneErase.isDisabled()).toBe(true);
    // Under a finger or the pointer, the disabled button still looks disabled, not like danger.
    const background = () => phoneErase.evaluate((el) => getComputedStyle(el).backgroundColor);
    await phoneCard.getByRole("button", { name: "Cancel" }).hover();
    const resting = await background();
    await phoneErase.hover();
    expect(await background()).toBe(resting);
    await phoneCard.scrollIntoViewIfNeeded();
    await expectAccessible(phone.page, "Erase patient form on a phone");
    await shot(phone.page, "erase-form-phone");
    await phoneCard.getByRole("button", { name: "Cancel" }).click();
    await phoneCard.getByRole("button", { name: "Erase patient…" }).waitFor();

    await phone.page.goto(`/staff/patients/${elena.personId}`);
    await phone.page.getByRole("heading", { name: "Erased patient", level: 2 }).waitFor();
    await expectAccessible(phone.page, "Patient File of an erased patient on a phone");
    await shot(phone.page, "erased-file-phone");
    await phone.page.goto(`/staff/chat/${conversationId}`);
    await phone.page.getByText(readOnlyWords).waitFor();
    await expectAccessible(phone.page, "the erased patient's conversation on a phone");
    await shot(phone.page, "erased-conversation-phone");
    await phone.context.close();
  }, 300_000);
});
