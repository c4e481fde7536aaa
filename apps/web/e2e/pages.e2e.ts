import { totpCode } from "@clinic-chat/api";
import { createClinicChat } from "@clinic-chat/domain";
import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { password, productForFile, type TestProduct } from "./support/testProduct";

describe("every page, Team Chat, invitations and going offline, in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("WCAG 2.1 AA on every staff page (axe), with a Team Chat started and a teammate added (ELIG-3, ELIG-4)", async () => {
    const alex = product.person("Alex Morgan");
    const { context, page } = await newPerson(browser, product.url);
    await page.goto("/");
    await expectAccessible(page, "start page");
    await page.goto("/nowhere");
    await page.getByRole("heading", { name: "We couldn't find that page" }).waitFor();
    await expectAccessible(page, "not found page");

    await signInStaff(page, alex, authenticator);
    await page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByRole("radio", { name: "Teammate" }).check();
    await dialog.getByLabel("Search teammates by name").fill("Jordan");
    await dialog.getByRole("checkbox", { name: "Jordan Lee" }).check();
    await expectAccessible(page, "Start a chat with a teammate");
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await page.getByRole("heading", { name: "Jordan Lee", level: 2 }).waitFor();
    await page.getByText("Team Chat · 2 people").waitFor();
    await page.getByRole("textbox", { name: "Message" }).fill("Staff meeting moved to 3 pm.");
    await page.keyboard.press("Enter");
    await page.getByText("Staff meeting moved to 3 pm.").waitFor();

    await page.getByRole("button", { name: "Add teammate" }).click();
    const add = page.getByRole("dialog", { name: "Add a teammate" });
    await add.getByLabel("Search teammates by name").fill("Priya");
    await add.getByRole("button", { name: "Add Dr. Priya Shah" }).click();
    await add.getByText("Dr. Priya Shah was added to the conversation.").waitFor();
    await expectAccessible(page, "Add a teammate dialog");
    await add.getByRole("button", { name: "Close" }).click();
    await page.getByText("Team Chat · 3 people").waitFor();
    await expectAccessible(page, "Team Chat conversation");

    const pages: readonly [string, string][] = [
      ["/staff/settings/patient-portal", "Patient Portal"],
      ["/staff/settings/notifications", "Notification Settings"],
      ["/staff/settings/security", "Security"],
      ["/staff/settings/integrations", "Integrations"],
      ["/staff/account", "My Account"],
      ["/staff/appointments", "Appointments"],
      ["/staff/patients", "Patients"],
      ["/staff/audit", "Audit trail"],
    ];
    for (const [path, heading] of pages) {
      await page.goto(path);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await page.locator(".loading").waitFor({ state: "detached" });
      await expectAccessible(page, heading);
    }
    // The audit trail tells what was just done, by whom, without content (SEC-3, REC-6).
    const records = page.getByRole("list", { name: "Audit records, newest first" });
    await records
      .getByText(/^Alex Morgan \(admin\) started the Team Chat “/)
      .first()
      .waitFor();
    expect(await records.textContent()).not.toContain("Staff meeting");

    // Notification Settings: the chat email is shown as always on and cannot be switched.
    await page.goto("/staff/settings/notifications");
    const email = page.getByRole("switch", { name: "Chat email notification" });
    expect(await email.getAttribute("aria-checked")).toBe("true");
    expect(await email.isDisabled()).toBe(true);
    expect(await page.getByRole("switch", { name: "Chat SMS notification" }).isDisabled()).toBe(false);

    // A phone: the menu folds away behind a button, and the chat takes the whole screen.
    await page.setViewportSize(viewports.phone);
    await page.goto("/staff/chat");
    await page.getByRole("link", { name: /Jordan Lee/ }).click();
    await page.getByRole("heading", { name: "Jordan Lee", level: 2 }).waitFor();
    await expectAccessible(page, "conversation on a phone");
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Patients" }).waitFor();
    await expectAccessible(page, "menu open on a phone");
    await context.close();
    // Every staff page with axe on each: more than one flow's budget on a busy machine.
  }, 180_000);

  it("ELIG-1, SEC-1: a patient invited from the Patient File accepts the invitation, sets a password, reaches Chat and turns on two-step sign-in", async () => {
    const alex = product.person("Alex Morgan");
    const staff = await newPerson(browser, product.url);
    await signInStaff(staff.page, alex, authenticator, (step) =>
      expectAccessible(staff.page, `staff sign-in, ${step}`),
    );
    await staff.page.getByRole("link", { name: "Patients" }).click();
    await staff.page.getByRole("link", { name: "Olivia Brown" }).click();
    await staff.page.getByRole("heading", { name: "Patient File" }).waitFor();
    // Not reachable yet: the chat icon says why instead of opening a chat.
    await staff.page.getByText("Unavailable: invited to the Patient Portal, not signed up yet").waitFor();
    await staff.page.getByRole("button", { name: "Send the invitation again" }).click();
    await staff.page.getByText("The invitation email is on its way.").waitFor();

    const link = await product.invitationLink("olivia.brown.premium@patients.example");
    const patient = await newPerson(browser, product.url);
    await patient.page.goto(link);
    await patient.page.getByRole("heading", { name: "Welcome to the Patient Portal" }).waitFor();
    // The token leaves the address bar as soon as it is read.
    expect(patient.page.url()).not.toContain("#");
    await expectAccessible(patient.page, "invitation page");
    await patient.page.getByLabel("New password").fill("short");
    await patient.page.getByLabel("Type it again").fill("short");
    await patient.page.getByRole("button", { name: "Set password and sign in" }).click();
    await patient.page.getByText("Choose a password of 12 to 128 characters.").waitFor();
    await expectAccessible(patient.page, "invitation page with an error");
    await patient.page.getByLabel("New password").fill(password);
    await patient.page.getByLabel("Type it again").fill(password);
    await patient.page.getByRole("button", { name: "Set password and sign in" }).click();
    await patient.page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();
    await patient.page.getByRole("button", { name: "Start Chat with Dr. Priya Shah" }).click();
    await patient.page.getByRole("heading", { name: "Dr. Priya Shah", level: 2 }).waitFor();
    await expectAccessible(patient.page, "portal conversation just started");

    // SEC-1: the patient turns on two-step sign-in, and the next sign-in asks for a code.
    await patient.page.getByRole("link", { name: "Account" }).click();
    await patient.page.getByRole("button", { name: "Set up two-step sign-in" }).click();
    const secret = await patient.page.getByTestId("totp-secret").getAttribute("data-secret");
    if (!secret) throw new Error("no TOTP secret shown");
    await expectAccessible(patient.page, "portal two-step sign-in setup");
    await patient.page.getByLabel("Code from your authenticator app").fill(totpCode(secret, new Date()));
    await patient.page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
    await patient.page.getByText("Two-step sign-in is on.", { exact: false }).waitFor();
    await patient.page.getByRole("button", { name: "Sign out" }).click();
    await patient.page.getByRole("heading", { name: "Patient Portal sign-in" }).waitFor();
    await patient.page.getByLabel("Email").fill("olivia.brown.premium@patients.example");
    await patient.page.getByLabel("Password").fill(password);
    await patient.page.getByRole("button", { name: "Sign in" }).click();
    await patient.page
      .getByLabel("Authentication code")
      .fill(totpCode(secret, new Date(Date.now() + 30_000)));
    await patient.page.getByRole("button", { name: "Continue" }).click();
    await patient.page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();

    // The staff side now offers the chat icon.
    await staff.page.reload();
    await staff.page.getByRole("link", { name: "Chat with Olivia Brown (opens in a new tab)" }).waitFor();
    await staff.context.close();
    await patient.context.close();
  });

  it("MSG-2: offline, the app says so; sends wait and go out once with the same client id; on reconnect nothing is lost or repeated", async () => {
    const priya = product.person("Dr. Priya Shah");
    const marcus = product.person("Marcus Chen");
    const staff = await newPerson(browser, product.url);
    const patient = await newPerson(browser, product.url);
    await signInStaff(staff.page, priya, authenticator);
    await signInPatient(patient.page, marcus);
    await patient.page.getByRole("button", { name: "Start Chat with Dr. Priya Shah" }).click();
    await patient.page.getByRole("heading", { name: "Dr. Priya Shah", level: 2 }).waitFor();

    // MSG-3: the conversation (START-3: once written in), its unread badge and the total appear
    // live on the staff list, and go when it is read.
    const row = staff.page.getByRole("link", { name: /Marcus Chen/ });
    const total = staff.page.getByTestId("total-unread");
    await total.waitFor();
    const unreadElsewhere = Number((await total.textContent())?.match(/\d+/)?.[0] ?? 0);
    await patient.page.getByRole("textbox", { name: "Message" }).fill("Are you there?");
    await patient.page.keyboard.press("Enter");
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain("1 unread message");
    expect(await total.textContent()).toBe(`${unreadElsewhere + 1} unread`);
    await row.click();
    await staff.page.getByRole("heading", { name: "Marcus Chen", level: 2 }).waitFor();
    await expect
      .poll(() => total.textContent())
      .toBe(unreadElsewhere ? `${unreadElsewhere} unread` : "All read");
    expect(await row.textContent()).not.toContain("unread");
    // Read state, live on the patient's side.
    await patient.page.getByText("Seen by Dr. Priya Shah").waitFor();

    await patient.context.setOffline(true);
    await patient.page.getByText("You're offline.").waitFor();
    await expectAccessible(patient.page, "offline notice");
    const composer = patient.page.getByRole("textbox", { name: "Message" });
    await composer.fill("Typed on the train");
    await composer.press("Enter");
    // Optimistic: shown at once, marked as sending.
    await patient.page.locator(".message--sending", { hasText: "Typed on the train" }).waitFor();

    await staff.page.getByRole("textbox", { name: "Message" }).fill("First while you were away");
    await staff.page.keyboard.press("Enter");
    await staff.page.getByRole("textbox", { name: "Message" }).fill("Second while you were away");
    await staff.page.keyboard.press("Enter");
    await staff.page.getByText("Second while you were away").waitFor();

    await patient.context.setOffline(false);
    await patient.page.getByText("Second while you were away").waitFor();
    await patient.page.getByText("You're offline.").waitFor({ state: "detached" });
    await staff.page.getByText("Typed on the train").waitFor();
    await patient.page.locator(".message--sending").waitFor({ state: "detached" });
    for (const text of ["First while you were away", "Second while you were away", "Typed on the train"]) {
      for (const page of [patient.page, staff.page]) {
        await page.getByText(text).first().waitFor();
        expect(await page.getByText(text).count(), text).toBe(1);
      }
    }
    await staff.context.close();
    await patient.context.close();
  });

  it("a long history loads older pages as the reader scrolls up, and by button for keyboards", async () => {
    const jordan = product.person("Jordan Lee");
    const samuel = product.person("Dr. Samuel Okafor");
    const elena = product.person("Elena Garcia");
    // Seeded through the domain: 75 messages (three pages of 30) in Elena Garcia's conversation.
    const chat = createClinicChat(product.product.domain);
    const actor = { clinicId: samuel.clinicId, person: { kind: "staff" as const, id: samuel.personId } };
    const { conversation } = await chat.startPatientChat(actor, { patientId: elena.personId });
    await chat.addParticipant(actor, { conversationId: conversation.id, staffId: jordan.personId });
    for (let n = 1; n <= 75; n++) {
      await chat.sendMessage(actor, {
        conversationId: conversation.id,
        clientId: `seed-${n}`,
        text: `Note number ${n}`,
      });
    }

    const { context, page } = await newPerson(browser, product.url);
    const note = (n: number) => page.getByText(`Note number ${n}`, { exact: true });
    await signInStaff(page, jordan, authenticator);
    await page.goto(`/staff/chat/${conversation.id}`);
    await note(75).waitFor();
    expect(await note(45).count()).toBe(0);

    // Scrolling to the top loads the next page by itself, keeping the reader's place.
    await page.getByRole("region", { name: "Messages" }).evaluate((el) => {
      el.scrollTop = 0;
    });
    await note(16).waitFor();
    expect(await note(15).count()).toBe(0);
    expect(await note(46).isVisible()).toBe(true);

    // The last page by keyboard: the button at the top of the history.
    await page.getByRole("button", { name: "Load older messages" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("This is the beginning of the conversation.").waitFor();
    expect(await note(1).count()).toBe(1);
    expect(await page.locator(".message").count()).toBe(75);
    await context.close();
  });
});
