import { createClinicChat } from "@clinic-chat/domain";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const shots = process.env.TEMPLATE_SHOTS;

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

describe("reply templates and scheduled messages in the browser", () => {
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
    // Elena has no appointment ahead, so the template's appointment values are missing (TPL-1).
    await product.product.domain.uow.run(alex.clinicId, async (s) => {
      for (const appointment of await s.appointments.forPatient(elena.personId, 10)) {
        await s.appointments.save({ ...appointment, status: "cancelled" });
      }
    });
  });

  it("TPL-1: an admin keeps a clinic template; `/` opens the picker, driven by keyboard only; a missing value blocks sending until edited", async () => {
    const alex = product.person("Alex Morgan");
    const a = await newPerson(browser, product.url);
    await signInStaff(a.page, alex, authenticator);
    await a.page.getByRole("link", { name: "Templates" }).click();
    await a.page.getByRole("heading", { name: "Templates", level: 1 }).waitFor();
    await a.page.getByLabel("Name").fill("Appointment reminder");
    await a.page
      .getByLabel("Text")
      .fill(
        "Hi {patient first name}, see you on {next appointment date} at {next appointment time}. {author name}",
      );
    await a.page.getByRole("button", { name: "Add template" }).click();
    await a.page.getByRole("heading", { name: "Appointment reminder", level: 3 }).waitFor();
    await a.page.getByLabel("Name").fill("Lab results");
    await a.page.getByLabel("Text").fill("Hi {patient first name}, your lab results are in. {clinic name}");
    await a.page.getByRole("button", { name: "Add template" }).click();
    await a.page.getByRole("heading", { name: "Lab results", level: 3 }).waitFor();
    await expectAccessible(a.page, "Clinic Settings › Templates");
    await shot(a.page, "templates-settings-desktop");

    await a.page.goto(`/staff/chat/${conversationId}`);
    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.focus();
    await a.page.keyboard.type("/re");
    const listbox = a.page.getByRole("listbox", { name: "Reply templates" });
    await listbox.waitFor();
    // Both names contain "re"; the first is active, and the text box points at it.
    expect(await listbox.getByRole("option").allTextContents()).toEqual([
      expect.stringContaining("Appointment reminder"),
      expect.stringContaining("Lab results"),
    ]);
    const activeId = await box.getAttribute("aria-activedescendant");
    expect(await a.page.locator(`[id="${activeId}"]`).textContent()).toContain("Appointment reminder");
    await a.page.keyboard.press("ArrowDown");
    expect(await listbox.getByRole("option", { selected: true }).textContent()).toContain("Lab results");
    await a.page.keyboard.press("ArrowUp");
    expect(await listbox.getByRole("option", { selected: true }).textContent()).toContain(
      "Appointment reminder",
    );
    await expectAccessible(a.page, "composer with the template picker open");
    await shot(a.page, "template-picker-desktop");
    await a.page.keyboard.press("Enter");
    await expect
      .poll(() => box.inputValue())
      .toBe("Hi Elena, see you on [next appointment date] at [next appointment time]. Alex Morgan");
    expect(await listbox.count()).toBe(0);
    const missing = a.page.getByTestId("missing-values");
    await missing.waitFor();
    expect(await missing.textContent()).toContain("[next appointment date] and [next appointment time]");
    expect(await a.page.getByRole("button", { name: "Send", exact: true }).isDisabled()).toBe(true);
    await expectAccessible(a.page, "composer with missing template values");
    await shot(a.page, "template-missing-values-desktop");
    // Enter does not send while a mark is left.
    await box.focus();
    await a.page.keyboard.press("Enter");
    expect(await box.inputValue()).toContain("[next appointment date]");

    // Edited by keyboard: select the first mark and type over it, then the second.
    await box.fill("Hi Elena, see you on Friday at [next appointment time]. Alex Morgan");
    await missing.getByText("[next appointment time]").waitFor();
    await box.fill("Hi Elena, see you on Friday at 10:00. Alex Morgan");
    expect(await missing.count()).toBe(0);
    await box.focus();
    await a.page.keyboard.press("Enter");
    await a.page.getByText("Hi Elena, see you on Friday at 10:00. Alex Morgan").waitFor();
    expect(await box.inputValue()).toBe("");

    // Escape closes the picker and leaves the text as typed.
    await a.page.keyboard.type("/lab");
    await listbox.waitFor();
    await a.page.keyboard.press("Escape");
    expect(await listbox.count()).toBe(0);
    expect(await box.inputValue()).toBe("/lab");
    await box.fill("");

    // At phone width the picker fits the screen.
    const phone = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(phone.page, alex, authenticator);
    await phone.page.goto(`/staff/chat/${conversationId}`);
    const phoneBox = phone.page.getByRole("textbox", { name: "Message" });
    await phoneBox.focus();
    await phone.page.keyboard.type("/");
    await phone.page.getByRole("listbox", { name: "Reply templates" }).waitFor();
    await expectAccessible(phone.page, "template picker at phone width");
    await shot(phone.page, "template-picker-phone");
    await phone.context.close();
    await a.context.close();
    // Three sign-ins with TOTP enrolment and axe runs on a shared machine: longer than the default.
  }, 240_000);

  it("SCHED-1: Send later with a quick pick; staff only see it, edit it and cancel it; the patient never sees it", async () => {
    const alex = product.person("Alex Morgan");
    const elena = product.person("Elena Garcia");
    const a = await newPerson(browser, product.url);
    await signInStaff(a.page, alex, authenticator);
    await a.page.goto(`/staff/chat/${conversationId}`);
    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.fill("Your MARKER lab results are ready to discuss.");
    await a.page.getByRole("button", { name: "Send later" }).click();
    const dialog = a.page.getByRole("dialog", { name: "Send later" });
    await dialog.getByText(/Times are in the clinic's time zone/).waitFor();
    await expectAccessible(a.page, "Send later dialog");
    await shot(a.page, "send-later-desktop");
    await dialog.getByRole("button", { name: /Tomorrow 9:00/ }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await box.inputValue()).toBe("");

    const scheduled = a.page.getByTestId("scheduled-messages");
    await scheduled.getByText("Your MARKER lab results are ready to discuss.").waitFor();
    expect(await scheduled.textContent()).toContain("09:00");
    await expectAccessible(a.page, "conversation with a scheduled message");
    await shot(a.page, "scheduled-desktop");

    // The patient sees nothing of it.
    const patient = await newPerson(browser, product.url, viewports.phone);
    await signInPatient(patient.page, elena);
    await patient.page.goto(`/portal/chat/${conversationId}`);
    await patient.page.getByRole("textbox", { name: "Message" }).waitFor();
    expect(await patient.page.getByTestId("scheduled-messages").count()).toBe(0);
    expect(await patient.page.getByText(/MARKER/).count()).toBe(0);

    // Edited, then cancelled, by its author.
    await scheduled.getByRole("button", { name: "Edit scheduled message" }).click();
    await scheduled.getByLabel("Message").fill("Your MARKER results are ready; call us to discuss.");
    await scheduled.getByLabel("Time").fill("10:30");
    await scheduled.getByRole("button", { name: "Save" }).click();
    await scheduled.getByRole("button", { name: "Edit scheduled message" }).waitFor();
    await scheduled.getByText("Your MARKER results are ready; call us to discuss.").waitFor();
    expect(await scheduled.textContent()).toContain("10:30");

    const phone = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(phone.page, alex, authenticator);
    await phone.page.goto(`/staff/chat/${conversationId}`);
    await phone.page
      .getByTestId("scheduled-messages")
      .getByText(/call us to discuss/)
      .waitFor();
    await expectAccessible(phone.page, "scheduled message at phone width");
    await shot(phone.page, "scheduled-phone");

    await scheduled.getByRole("button", { name: "Cancel scheduled message" }).click();
    await scheduled.waitFor({ state: "detached" });
    await a.page.reload();
    await a.page.getByRole("textbox", { name: "Message" }).waitFor();
    expect(await a.page.getByTestId("scheduled-messages").count()).toBe(0);
    await Promise.all([a.context.close(), patient.context.close(), phone.context.close()]);
  }, 240_000);
});
