import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.keyboard.press("Enter");
  await page.locator(".message:not(.message--sending)", { hasText: text }).last().waitFor();
}

/** The typing indicator's text now ("" when nobody types). */
async function typingLine(page: Page): Promise<string> {
  return ((await page.getByTestId("typing-indicator").textContent()) ?? "").trim();
}

describe("typing indicator and group names, in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("PRODUCT §8: the other side sees who is typing (desktop and phone), until a few seconds of silence or the message", async () => {
    const staff = await newPerson(browser, product.url);
    const patient = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(staff.page, product.person("Dr. Priya Shah"), authenticator);
    await signInPatient(patient.page, product.person("Elena Garcia"));

    await staff.page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = staff.page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByLabel("Search patients by name").fill("Elena");
    await dialog.getByRole("radio", { name: "Elena Garcia" }).check();
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await staff.page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    await send(staff.page, "Good morning Elena.");
    await patient.page.getByRole("link", { name: /Priya Shah/ }).click();
    await patient.page.getByText("Good morning Elena.").waitFor();
    expect(await typingLine(patient.page)).toBe("");

    // The doctor types: the patient's phone says so, then nothing after a few seconds of silence.
    // Someone typing a sentence keeps typing: a notice that reached the phone before its stream
    // was live is gone (typing is never stored), and the next one, seconds later, shows.
    const indicator = patient.page.getByTestId("typing-indicator");
    const staffBox = staff.page.getByRole("textbox", { name: "Message" });
    for (const word of [
      "Your ",
      "results ",
      "are ",
      "in ",
      "and ",
      "they ",
      "look ",
      "fine ",
      "so ",
      "far ",
    ]) {
      await staffBox.pressSequentially(word, { delay: 30 });
      if (await indicator.getByText("Dr. Priya Shah is typing…").isVisible()) break;
      await staff.page.waitForTimeout(1_000);
    }
    await indicator.getByText("Dr. Priya Shah is typing…").waitFor();
    await expectAccessible(patient.page, "Portal conversation with the typing indicator (phone)");
    await patient.page.waitForFunction(
      () => document.querySelector('[data-testid="typing-indicator"]')?.textContent?.trim() === "",
      undefined,
      { timeout: 10_000 },
    );
    // Nobody is told of their own typing.
    expect(await typingLine(staff.page)).toBe("");

    // The patient types back: the doctor sees it, and it goes as her message arrives.
    await patient.page.getByRole("textbox", { name: "Message" }).pressSequentially("Thank", { delay: 30 });
    await staff.page.getByTestId("typing-indicator").getByText("Elena Garcia is typing…").waitFor();
    await expectAccessible(staff.page, "Staff conversation with the typing indicator (desktop)");
    await patient.page.getByRole("textbox", { name: "Message" }).fill("Thank you, doctor!");
    await patient.page.keyboard.press("Enter");
    await staff.page.getByText("Thank you, doctor!").waitFor();
    expect(await typingLine(staff.page)).toBe("");
  }, 150_000);

  it("ELIG-3: a Team Chat is named by a participant; the name shows in the list and the header for everyone, the timeline says who renamed it (desktop and phone)", async () => {
    const priya = await newPerson(browser, product.url);
    const jordan = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(priya.page, product.person("Dr. Priya Shah"), authenticator);
    await signInStaff(jordan.page, product.person("Jordan Lee"), authenticator);

    await priya.page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = priya.page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByRole("radio", { name: "Teammate" }).check();
    await dialog.getByRole("checkbox", { name: "Jordan Lee" }).check();
    await dialog.getByRole("checkbox", { name: "Alex Morgan" }).check();
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await priya.page.getByRole("heading", { name: "Alex Morgan, Jordan Lee", level: 2 }).waitFor();
    await send(priya.page, "Rota for next week, please check.");

    // Without a name, Jordan's list shows the other participants' names.
    const jordanRow = jordan.page.getByRole("link", { name: /Alex Morgan, Dr\. Priya Shah/ });
    await jordanRow.waitFor();

    await priya.page.getByRole("button", { name: "Name this conversation" }).click();
    const naming = priya.page.getByRole("dialog", { name: "Name the conversation" });
    await expectAccessible(priya.page, "Naming a Team Chat");
    await naming.getByLabel("Conversation name").fill("  Front desk   rota ");
    await naming.getByRole("button", { name: "Save name" }).click();
    await priya.page.getByRole("heading", { name: "Front desk rota", level: 2 }).waitFor();
    await priya.page.getByText("Dr. Priya Shah renamed the conversation").waitFor();
    await priya.page.getByRole("link", { name: /Front desk rota/ }).waitFor();

    // Jordan's phone follows live: the list row, then the header and the timeline.
    await jordan.page.getByRole("link", { name: /Front desk rota/ }).click();
    await jordan.page.getByRole("heading", { name: "Front desk rota", level: 2 }).waitFor();
    await jordan.page.getByText("Dr. Priya Shah renamed the conversation").waitFor();
    await expectAccessible(jordan.page, "A named Team Chat (phone)");

    // Jordan renames it; an empty name takes it away again.
    await jordan.page.getByRole("button", { name: "Rename this conversation" }).click();
    const renaming = jordan.page.getByRole("dialog", { name: "Rename the conversation" });
    await renaming.getByLabel("Conversation name").fill("");
    await renaming.getByRole("button", { name: "Save name" }).click();
    await jordan.page.getByRole("heading", { name: "Alex Morgan, Dr. Priya Shah", level: 2 }).waitFor();
    await priya.page.getByRole("heading", { name: "Alex Morgan, Jordan Lee", level: 2 }).waitFor();
    expect(await priya.page.getByText("Jordan Lee renamed the conversation").count()).toBe(1);
  }, 150_000);
});
