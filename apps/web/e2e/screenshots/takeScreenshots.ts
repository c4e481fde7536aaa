/**
 * The README's screenshots: the main pages of both apps at desktop and phone widths, taken from
 * the same setup as the browser tests (the built app served by the real product, seeded demo
 * clinics, real sign-in). `npm run screenshots -w @clinic-chat/web` writes docs/screenshots/.
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { createClinicChat } from "@clinic-chat/domain";
import { defaultOfficeHours } from "@clinic-chat/domain/hours";
import type { Page } from "playwright-core";
import { launchBrowser, newPerson, viewports } from "../support/browser";
import { pdfBytes } from "../support/files";

/** A 1×1 PNG: the patient's photo. */
const pngBytes = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

import { Authenticator, signInPatient, signInStaff } from "../support/signIn";
import { startTestProduct } from "../support/testProduct";

const outDir = resolve(import.meta.dirname, "../../../../docs/screenshots");

async function shoot(page: Page, name: string, size: keyof typeof viewports): Promise<void> {
  await page.setViewportSize(viewports[size]);
  // Nothing still loading, no caret blinking mid-word.
  await page.locator(".loading").waitFor({ state: "detached" });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: resolve(outDir, `${name}-${size}.png`) });
  process.stdout.write(`  ${name}-${size}.png\n`);
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.keyboard.press("Enter");
  await page.getByText(text).last().waitFor();
}

const product = await startTestProduct();
const browser = await launchBrowser();
try {
  await mkdir(outDir, { recursive: true });
  const authenticator = new Authenticator();
  const staff = await newPerson(browser, product.url);
  const patient = await newPerson(browser, product.url);

  await staff.page.goto("/staff/sign-in");
  await shoot(staff.page, "staff-sign-in", "desktop");
  await shoot(staff.page, "staff-sign-in", "phone");
  await staff.page.setViewportSize(viewports.desktop);
  await signInStaff(staff.page, product.person("Dr. Priya Shah"), authenticator);
  await signInPatient(patient.page, product.person("Elena Garcia"));

  // A conversation with some history: text both ways, a file, a deleted message.
  await staff.page.getByRole("button", { name: "Start a chat" }).click();
  const dialog = staff.page.getByRole("dialog", { name: "Start a chat" });
  await dialog.getByLabel("Search patients by name").fill("Elena");
  await dialog.getByRole("radio", { name: "Elena Garcia" }).check();
  await dialog.getByRole("button", { name: "Start Chat" }).click();
  await staff.page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
  const conversation = staff.page.url();
  await send(staff.page, "Good morning Elena, your blood test results are back and everything looks normal.");
  await patient.page.getByRole("link", { name: /Dr\. Priya Shah/ }).click();
  await send(patient.page, "Thank you! Could you send me a copy for my records?");
  await send(patient.page, "Sorry, wrong conversation.");
  const [chooser] = await Promise.all([
    staff.page.waitForEvent("filechooser"),
    staff.page.getByRole("button", { name: "Attach a file" }).click(),
  ]);
  await chooser.setFiles({ name: "blood-test-results.pdf", mimeType: "application/pdf", buffer: pdfBytes });
  await staff.page
    .locator(".message", { hasText: "blood-test-results.pdf" })
    .getByRole("button")
    .first()
    .waitFor();
  await send(staff.page, "Here it is. Let me know if you have any questions.");
  const oops = patient.page.locator(".message", { hasText: "Sorry, wrong conversation." });
  await oops.getByRole("button", { name: /Actions for your message/ }).click();
  await patient.page.getByRole("menuitem", { name: "Delete" }).click();
  await patient.page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await staff.page.getByText("Message deleted").waitFor();
  // A link (clickable, never previewed) and a photo from the patient.
  await send(staff.page, "Directions to the clinic: https://maps.example.org/maple-grove");
  const [photo] = await Promise.all([
    patient.page.waitForEvent("filechooser"),
    patient.page.getByRole("button", { name: "Attach a file" }).click(),
  ]);
  await photo.setFiles({ name: "knee-photo.png", mimeType: "image/png", buffer: pngBytes });
  await staff.page.locator(".message", { hasText: "knee-photo.png" }).getByRole("button").first().waitFor();
  await send(patient.page, "Got it, thanks Dr. Shah.");

  // A second conversation so the list has unread badges.
  const marcus = await newPerson(browser, product.url);
  await signInPatient(marcus.page, product.person("Marcus Chen"));
  await marcus.page.getByRole("button", { name: "Start Chat with Dr. Priya Shah" }).click();
  await send(marcus.page, "Hi, is it OK to take ibuprofen with my prescription?");
  await send(marcus.page, "I have a headache since this morning.");

  await staff.page.goto(conversation);
  await staff.page.getByText("Got it, thanks Dr. Shah.").waitFor();
  await staff.page.locator(".badge").first().waitFor();
  // The patient starts a reply: the staff member sees her typing.
  const typing = async () => {
    await patient.page.getByRole("textbox", { name: "Message" }).pressSequentially("See you", { delay: 20 });
    await staff.page.getByTestId("typing-indicator").getByText("Elena Garcia is typing…").waitFor();
  };
  await typing();
  await shoot(staff.page, "staff-chat", "desktop");
  await patient.page.getByRole("textbox", { name: "Message" }).fill("");
  await patient.page.waitForTimeout(1_100);
  await typing();
  await shoot(staff.page, "staff-chat", "phone");
  await patient.page.getByRole("textbox", { name: "Message" }).fill("");

  // A named Team Chat (ELIG-3).
  await staff.page.setViewportSize(viewports.desktop);
  await staff.page.getByRole("button", { name: "Start a chat" }).click();
  await dialog.getByRole("radio", { name: "Teammate" }).check();
  await dialog.getByRole("checkbox", { name: "Jordan Lee" }).check();
  await dialog.getByRole("checkbox", { name: "Alex Morgan" }).check();
  await dialog.getByRole("button", { name: "Start Chat" }).click();
  await staff.page.getByRole("heading", { name: "Alex Morgan, Jordan Lee", level: 2 }).waitFor();
  await send(staff.page, "Next week's rota is up on the board.");
  await send(staff.page, "Jordan, could you cover Thursday morning?");
  await staff.page.getByRole("button", { name: "Name this conversation" }).click();
  const naming = staff.page.getByRole("dialog", { name: "Name the conversation" });
  await naming.getByLabel("Conversation name").fill("Front desk rota");
  await naming.getByRole("button", { name: "Save name" }).click();
  await staff.page.getByRole("heading", { name: "Front desk rota", level: 2 }).waitFor();
  await staff.page.getByText("Dr. Priya Shah renamed the conversation").waitFor();
  await shoot(staff.page, "staff-team-chat", "desktop");
  await shoot(staff.page, "staff-team-chat", "phone");
  await staff.page.setViewportSize(viewports.desktop);
  await staff.page.goto(conversation);
  await staff.page.getByText("Got it, thanks Dr. Shah.").waitFor();

  // INBOX-1: the clinic's inbox, the conversations awaiting a reply with their last message.
  await staff.page.setViewportSize(viewports.desktop);
  await staff.page.goto("/staff/chat");
  await staff.page.getByTestId("inbox-view-awaiting").click();
  await staff.page.getByTestId("inbox-row").first().waitFor();
  await shoot(staff.page, "staff-inbox", "desktop");
  await shoot(staff.page, "staff-inbox", "phone");
  await staff.page.getByTestId("inbox-view-all").click();

  await staff.page.setViewportSize(viewports.desktop);
  await staff.page.getByRole("button", { name: "Start a chat" }).click();
  await dialog.getByLabel("Search patients by name").fill("o");
  await dialog.getByText("Unavailable:").first().waitFor();
  await shoot(staff.page, "staff-start-chat", "desktop");
  await dialog.getByRole("button", { name: "Close" }).click();

  const pages: readonly [string, string, string][] = [
    ["/staff/settings/patient-portal", "Patient Portal", "staff-patient-portal-settings"],
    ["/staff/settings/notifications", "Notification Settings", "staff-notification-settings"],
    ["/staff/account", "My Account", "staff-my-account"],
    ["/staff/appointments", "Appointments", "staff-appointments"],
  ];
  for (const [path, heading, name] of pages) {
    await staff.page.goto(path);
    await staff.page.getByRole("heading", { name: heading, level: 1 }).waitFor();
    await shoot(staff.page, name, "desktop");
  }
  await shoot(staff.page, "staff-appointments", "phone");
  await staff.page.setViewportSize(viewports.desktop);
  await staff.page.getByRole("link", { name: "Elena Garcia", exact: true }).click();
  await staff.page.getByRole("heading", { name: "Appointment Details" }).waitFor();
  await shoot(staff.page, "staff-appointment-details", "desktop");
  await staff.page.getByRole("link", { name: "Elena Garcia", exact: true }).click();
  await staff.page.getByRole("heading", { name: "Patient File" }).waitFor();
  await shoot(staff.page, "staff-patient-file", "desktop");

  await patient.page.getByText("Got it, thanks Dr. Shah.").waitFor();
  await shoot(patient.page, "portal-chat", "desktop");
  await shoot(patient.page, "portal-chat", "phone");

  // HOURS-2, HOURS-4: office hours in which today is closed; the patient sees the notice before sending.
  const alex = product.person("Alex Morgan");
  await createClinicChat(product.product.domain).changeOfficeHours(
    { clinicId: alex.clinicId, person: { kind: "staff", id: alex.personId } },
    {
      ...defaultOfficeHours("America/New_York"),
      closedDates: [new Date().toISOString().slice(0, 10)],
      guidelines: "For emergencies call 911. We answer messages within one business day.",
      afterHoursReply: true,
    },
  );
  await patient.page.reload();
  await patient.page.getByTestId("after-hours-notice").waitFor();
  await shoot(patient.page, "portal-after-hours", "phone");
  await staff.page.goto("/staff/settings/office-hours");
  await staff.page.getByRole("heading", { name: "Office hours", level: 1 }).waitFor();
  await shoot(staff.page, "staff-office-hours", "desktop");
  await patient.page.goto("/portal/chat");
  await patient.page
    .getByRole("button", { name: /Start Chat with/ })
    .first()
    .waitFor();
  await shoot(patient.page, "portal-conversations", "phone");

  // The Starter plan: files only, and the composer says why.
  const harbor = await newPerson(browser, product.url);
  await signInStaff(harbor.page, product.person("Harbor Admin", "starter"), authenticator);
  await harbor.page.getByRole("button", { name: "Start a chat" }).click();
  const harborDialog = harbor.page.getByRole("dialog", { name: "Start a chat" });
  await harborDialog.getByLabel("Search patients by name").fill("Liam");
  await harborDialog.getByRole("radio", { name: "Liam Patel" }).check();
  await harborDialog.getByRole("button", { name: "Start Chat" }).click();
  await harbor.page.getByTestId("composer").getByRole("button", { name: "Attach a file" }).waitFor();
  await shoot(harbor.page, "staff-starter-files-only", "desktop");
} finally {
  await browser.close();
  await product.stop();
}
