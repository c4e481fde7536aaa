import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson } from "./support/browser";
import { pdfBytes } from "./support/files";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const conversationIdOf = (page: Page) => new URL(page.url()).pathname.split("/").pop() ?? "";

describe("staff and patient chat in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("START-1, MSG-2, FILE-1..3, DEL-1..4: three entry points reach one conversation; the patient sees it live, replies with a file; staff download it and delete it, live on both sides", async () => {
    // A clinic admin: DEL-1 lets an admin delete any message of the clinic, the patient's file included.
    const alex = product.person("Alex Morgan");
    const elena = product.person("Elena Garcia");
    const staff = await newPerson(browser, product.url);
    const patient = await newPerson(browser, product.url);

    // Sign-in with TOTP enrolment on the first sign-in (SEC-1), checked for accessibility on the way.
    await staff.page.goto("/staff/sign-in");
    await expectAccessible(staff.page, "staff sign-in");
    await signInStaff(staff.page, alex, authenticator, (step) =>
      expectAccessible(staff.page, `staff sign-in, ${step}`),
    );
    await expectAccessible(staff.page, "staff Chat page, empty");

    await patient.page.goto("/portal/sign-in");
    await expectAccessible(patient.page, "Patient Portal sign-in");
    await signInPatient(patient.page, elena);
    await expectAccessible(patient.page, "portal Chat page");

    // Entry point 1: Chat › + › Patient › search › Start Chat.
    await staff.page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = staff.page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByLabel("Search patients by name").fill("Ava");
    await expect
      .poll(() => dialog.getByText("Unavailable: Patient Portal account disabled").isVisible())
      .toBe(true);
    expect(await dialog.getByRole("radio", { name: "Ava Thompson" }).isDisabled()).toBe(true);
    await expectAccessible(staff.page, "Start a chat dialog with an unavailable patient");
    await dialog.getByLabel("Search patients by name").fill("Elena");
    await dialog.getByRole("radio", { name: "Elena Garcia" }).check();
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await staff.page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    const conversationId = conversationIdOf(staff.page);
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);

    // START-3: opened but not written in, it is not in the patient's list yet.
    expect(await patient.page.getByRole("link", { name: /Alex Morgan/ }).count()).toBe(0);

    // Entry point 2: Appointment Details › chat icon › a new tab with the same conversation.
    await staff.page.getByRole("link", { name: "Appointments" }).click();
    await staff.page.getByRole("link", { name: "Elena Garcia", exact: true }).click();
    await staff.page.getByRole("heading", { name: "Appointment Details" }).waitFor();
    await expectAccessible(staff.page, "Appointment Details");
    const [fromAppointment] = await Promise.all([
      staff.context.waitForEvent("page"),
      staff.page.getByRole("link", { name: "Chat with Elena Garcia (opens in a new tab)" }).click(),
    ]);
    await fromAppointment.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    expect(conversationIdOf(fromAppointment)).toBe(conversationId);
    await fromAppointment.close();

    // Entry point 3: Patient File › chat icon (bottom left) › a new tab with the same conversation.
    await staff.page.getByRole("link", { name: "Elena Garcia", exact: true }).click();
    await staff.page.getByRole("heading", { name: "Patient File" }).waitFor();
    await expectAccessible(staff.page, "Patient File");
    const [fromPatientFile] = await Promise.all([
      staff.context.waitForEvent("page"),
      staff.page.getByRole("link", { name: "Chat with Elena Garcia (opens in a new tab)" }).click(),
    ]);
    await fromPatientFile.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    expect(conversationIdOf(fromPatientFile)).toBe(conversationId);
    await fromPatientFile.close();

    // Staff write: the conversation reaches the patient's list without a reload (START-3, MSG-2),
    // and with it open the patient sees the next message arrive.
    await staff.page.goto(`/staff/chat/${conversationId}`);
    await staff.page
      .getByRole("textbox", { name: "Message" })
      .fill("Hello Elena, your lab results are ready.");
    await staff.page.keyboard.press("Enter");
    await staff.page.getByText("Hello Elena, your lab results are ready.").waitFor();
    await patient.page.getByRole("link", { name: /Alex Morgan/ }).click();
    await patient.page.getByRole("heading", { name: "Alex Morgan", level: 2 }).waitFor();
    await patient.page.getByText("Hello Elena, your lab results are ready.").waitFor();
    await staff.page.getByRole("textbox", { name: "Message" }).fill("They are in your Patient File too.");
    await staff.page.keyboard.press("Enter");
    await patient.page.getByText("They are in your Patient File too.").waitFor();
    await expect
      .poll(() => patient.page.getByTestId("announcer").textContent())
      .toBe("New message from Alex Morgan");
    await expectAccessible(patient.page, "portal conversation");

    // The patient replies with a file through the composer's file picker.
    const [chooser] = await Promise.all([
      patient.page.waitForEvent("filechooser"),
      patient.page.getByRole("button", { name: "Attach a file" }).click(),
    ]);
    await chooser.setFiles({ name: "lab-results.pdf", mimeType: "application/pdf", buffer: pdfBytes });
    const patientFile = patient.page.locator(".message", { hasText: "lab-results.pdf" });
    await patientFile.getByRole("button", { name: /Download/ }).waitFor();

    // Staff see it live and download it through a fresh short-lived link (FILE-3).
    const staffFile = staff.page.locator(".message", { hasText: "lab-results.pdf" });
    await staffFile.getByRole("button", { name: /Download/ }).waitFor();
    await expectAccessible(staff.page, "staff conversation with a file");
    const [download] = await Promise.all([
      staff.page.waitForEvent("download"),
      staffFile.getByRole("button", { name: /Download/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("lab-results.pdf");
    expect(download.url()).not.toContain("lab-results");

    // Staff delete it from the ⋯ menu, reached by keyboard focus (DEL-1); it goes for everyone (DEL-4).
    const menuButton = staffFile.getByRole("button", { name: /Actions for message from Elena Garcia/ });
    await menuButton.focus();
    await staff.page.keyboard.press("Enter");
    await staff.page.getByRole("menuitem", { name: "Delete" }).click();
    await staff.page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await staff.page.locator(".message--deleted", { hasText: "Message deleted" }).waitFor();
    await patient.page.locator(".message--deleted", { hasText: "Message deleted" }).waitFor();
    expect(await patient.page.getByText("lab-results.pdf").count()).toBe(0);
    expect(await staff.page.getByText("lab-results.pdf").count()).toBe(0);

    await staff.context.close();
    await patient.context.close();
  });
});
