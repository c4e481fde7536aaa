import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson } from "./support/browser";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

describe("what each clinic offers, in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("ENT-1: a Starter clinic's composer offers files only, for staff and for the patient, and says why", async () => {
    const admin = product.person("Harbor Admin", "starter");
    const liam = product.person("Liam Patel", "starter");
    const staff = await newPerson(browser, product.url);
    await signInStaff(staff.page, admin, authenticator);
    await staff.page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = staff.page.getByRole("dialog", { name: "Start a chat" });
    // Team Chat is Premium only: the choice is there but disabled, with the reason.
    await dialog
      .getByText("Team Chat is not included in your clinic's plan. Upgrade to Premium to use it.")
      .waitFor();
    expect(await dialog.getByRole("radio", { name: "Teammate" }).isDisabled()).toBe(true);
    await dialog.getByLabel("Search patients by name").fill("Liam");
    await dialog.getByRole("radio", { name: "Liam Patel" }).check();
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await staff.page.getByRole("heading", { name: "Liam Patel", level: 2 }).waitFor();
    const conversationPath = new URL(staff.page.url()).pathname.replace(/^\/staff\//, "/portal/");

    const composer = staff.page.getByTestId("composer");
    await composer.getByRole("button", { name: "Attach a file" }).waitFor();
    expect(await composer.getByRole("textbox").count()).toBe(0);
    expect(await composer.textContent()).toContain(
      "Messages with patients are not included in your clinic's plan. Upgrade to Enhanced to use them. You can share files.",
    );
    await expectAccessible(staff.page, "Starter conversation (files only)");

    // Clinic Settings › Patient Portal explains the plan's limits.
    await staff.page.getByRole("link", { name: "Patient Portal" }).click();
    await staff.page.getByRole("heading", { name: "Your plan: Starter" }).waitFor();
    const messages = staff.page.getByRole("switch", { name: "Message your patients" });
    expect(await messages.getAttribute("aria-checked")).toBe("false");
    expect(await messages.isDisabled()).toBe(true);
    await staff.page.getByText("Needs the Enhanced plan.").first().waitFor();
    await expectAccessible(staff.page, "Patient Portal settings on Starter");

    const patient = await newPerson(browser, product.url);
    await signInPatient(patient.page, liam);
    // Not written in yet, it is in no list (START-3): the patient opens it by its link, as from an email.
    await patient.page.goto(conversationPath);
    const portalComposer = patient.page.getByTestId("composer");
    await portalComposer.getByRole("button", { name: "Attach a file" }).waitFor();
    expect(await portalComposer.getByRole("textbox").count()).toBe(0);
    expect(await portalComposer.textContent()).toContain(
      "Messages aren't available with this clinic in the Patient Portal. You can share files.",
    );
    await staff.context.close();
    await patient.context.close();
  });

  it("ELIG-2 ENT-4: an unavailable practitioner is not offered in the portal, and the toggle in My Account takes effect in an open portal at once", async () => {
    const marcus = product.person("Marcus Chen");
    const priya = product.person("Dr. Priya Shah");
    const patient = await newPerson(browser, product.url);
    await signInPatient(patient.page, marcus);
    const offer = patient.page.getByRole("region", { name: "Start a chat" });
    await offer.getByRole("button", { name: "Start Chat with Dr. Priya Shah" }).waitFor();
    // Dr. Samuel Okafor has "Available for Chat with Patients" off in the seed.
    expect(await offer.getByText(/Samuel Okafor/).count()).toBe(0);
    expect(await offer.getByRole("button", { name: /Start Chat/ }).count()).toBe(1);
    await expectAccessible(patient.page, "portal Chat with the practitioners on offer");

    // Dr. Shah turns her own availability off in My Account › Scheduling Preferences.
    const staff = await newPerson(browser, product.url);
    await signInStaff(staff.page, priya, authenticator);
    await staff.page.getByRole("link", { name: "My Account" }).click();
    const available = staff.page.getByRole("switch", { name: "Available for Chat with Patients" });
    await available.waitFor();
    expect(await available.getAttribute("aria-checked")).toBe("true");
    await available.click();
    await expect.poll(() => available.getAttribute("aria-checked")).toBe("false");
    await expectAccessible(staff.page, "My Account");

    // The open portal drops her from the offer without a reload (ENT-4).
    await patient.page.getByText("No practitioner is available for chat right now.").waitFor();
    expect(await offer.getByText(/Priya Shah/).count()).toBe(0);
    await staff.context.close();
    await patient.context.close();
  });

  it("ENT-4, ENT-3: an admin's settings change reaches open pages at once; history stays readable, for the patient too, after the admin confirms pausing chat", async () => {
    const admin = product.person("Riverside Admin", "enhanced");
    const casey = product.person("Dr. Casey Rivera", "enhanced");
    const liam = product.person("Liam Patel", "enhanced");
    const practitioner = await newPerson(browser, product.url);
    const patient = await newPerson(browser, product.url);
    const settings = await newPerson(browser, product.url);
    await signInStaff(practitioner.page, casey, authenticator);
    await signInPatient(patient.page, liam);

    await practitioner.page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = practitioner.page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByLabel("Search patients by name").fill("Liam");
    await dialog.getByRole("radio", { name: "Liam Patel" }).check();
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await practitioner.page
      .getByRole("textbox", { name: "Message" })
      .fill("Please bring your referral letter.");
    await practitioner.page.keyboard.press("Enter");
    await patient.page.getByRole("link", { name: /Casey Rivera/ }).click();
    await patient.page.getByText("Please bring your referral letter.").waitFor();

    // The admin turns messages off: both composers offer files only, without a reload.
    await signInStaff(settings.page, admin, authenticator);
    await settings.page.getByRole("link", { name: "Patient Portal" }).click();
    const messages = settings.page.getByRole("switch", { name: "Message your patients" });
    await expect.poll(() => messages.getAttribute("aria-checked")).toBe("true");
    await messages.click();
    await expect.poll(() => messages.getAttribute("aria-checked")).toBe("false");
    const staffComposer = practitioner.page.getByTestId("composer");
    await staffComposer
      .getByText("Messages with patients are turned off in Clinic Settings › Patient Portal.", {
        exact: false,
      })
      .waitFor();
    expect(await staffComposer.getByRole("textbox").count()).toBe(0);
    await patient.page
      .getByTestId("composer")
      .getByText("Messages aren't available with this clinic", { exact: false })
      .waitFor();
    await practitioner.page.getByText("Please bring your referral letter.").waitFor();

    // The master switch off asks first; then the portal keeps the conversation readable, with a
    // note that the clinic paused chat and nothing to send with; staff keep the history (ENT-3).
    const master = settings.page.getByRole("switch", {
      name: "Chat for your patients available in Patient Portal",
    });
    await master.click();
    const confirm = settings.page.getByRole("dialog", { name: "Pause chat for your patients?" });
    await confirm.waitFor();
    await expectAccessible(settings.page, "confirm pausing patient chat");
    await confirm.getByRole("button", { name: "Keep it on" }).click();
    expect(await master.getAttribute("aria-checked")).toBe("true");
    await master.click();
    await confirm.getByRole("button", { name: "Turn off chat for patients" }).click();
    await expect.poll(() => master.getAttribute("aria-checked")).toBe("false");
    await patient.page
      .getByText("Riverside Physiotherapy has paused chat in the Patient Portal.", { exact: false })
      .waitFor();
    await patient.page.getByText("Please bring your referral letter.").waitFor();
    await patient.page
      .getByTestId("composer")
      .getByText("This clinic has turned off chat in the Patient Portal.", { exact: false })
      .waitFor();
    expect(await patient.page.getByTestId("composer").getByRole("textbox").count()).toBe(0);
    expect(await patient.page.getByRole("region", { name: "Start a chat" }).count()).toBe(0);
    await expectAccessible(patient.page, "portal Chat while the clinic paused chat");
    await patient.page.screenshot({ path: "/tmp/chatux-shots/portal-chat-paused.png" });
    await staffComposer
      .getByText("Chat with patients is turned off for this clinic.", { exact: false })
      .waitFor();
    await practitioner.page.getByText("Please bring your referral letter.").waitFor();
    for (const person of [practitioner, patient, settings]) await person.context.close();
  });
});
