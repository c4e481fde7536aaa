import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const shots = "/tmp/webhooks-shots";

describe("Clinic Settings › Webhooks and Export for the chart, in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("INTEG-4 INTEG-5: an admin registers an HTTPS endpoint, sees its secret once and its delivery log; a conversation downloads as a FHIR Bundle", async () => {
    const alex = product.person("Alex Morgan");
    const staff = await newPerson(browser, product.url);
    await signInStaff(staff.page, alex, authenticator);
    const page = staff.page;

    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
    await page.getByText("No endpoints yet.").waitFor();
    await expectAccessible(page, "Clinic Settings › Webhooks, empty");

    // INTEG-4: HTTPS only, said in a sentence.
    const address = page.getByLabel("Endpoint address (HTTPS)");
    await address.fill("http://host.example/hooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page
      .getByText("Webhooks are only sent over HTTPS. Enter an address that starts with https://.")
      .waitFor();
    await expectAccessible(page, "Webhooks, an address refused");

    // Nothing listens on the discard port: every attempt fails at once and waits for its retry.
    const url = "https://127.0.0.1:9/hooks";
    await address.fill(url);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = page.locator(".secret");
    await secret.waitFor();
    expect(await secret.textContent()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await page.getByRole("heading", { name: url, level: 2 }).waitFor();
    await expectAccessible(page, "Webhooks, the secret shown once");
    await page.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.locator(".secret").count()).toBe(0);

    // A conversation changes: the host's events are recorded and tried.
    await page.getByRole("link", { name: "Chat", exact: true }).click();
    await page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByLabel("Search patients by name").fill("Elena");
    await dialog.getByRole("radio", { name: "Elena Garcia" }).check();
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    const conversationId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await page.getByRole("textbox", { name: "Message" }).fill("Your results are ready.");
    await page.keyboard.press("Enter");
    await page.getByText("Your results are ready.").waitFor();

    // INTEG-5: Export for the chart, from the conversation's menu.
    await page.getByRole("button", { name: "Conversation actions" }).click();
    await expectAccessible(page, "conversation menu open");
    const downloading = page.waitForEvent("download");
    await page.getByRole("menuitem", { name: "Export for the chart" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`conversation-${conversationId}.json`);
    const bundle = JSON.parse(await readFile((await download.path()) ?? "", "utf8"));
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "collection", total: 1 });
    expect(bundle.entry[0].resource).toMatchObject({
      resourceType: "Communication",
      status: "completed",
      payload: [{ contentString: "Your results are ready." }],
    });

    // The delivery log: the conversation's start and the patient's unread count, waiting for a retry.
    await page.getByRole("link", { name: "Webhooks" }).click();
    const log = page.getByRole("table", { name: url });
    await log.getByRole("row", { name: /Conversation started/ }).waitFor({ timeout: 15_000 });
    await log
      .getByRole("row", { name: /Unread count changed/ })
      .first()
      .waitFor();
    await expect
      .poll(async () => (await log.getByRole("row", { name: /Conversation started/ }).textContent()) ?? "", {
        timeout: 15_000,
      })
      .toContain("Waiting to be retried");
    await expectAccessible(page, "Webhooks with a delivery log");
    await page.screenshot({ path: `${shots}/webhooks-desktop.png`, fullPage: true });
    await page.setViewportSize(viewports.phone);
    await page.screenshot({ path: `${shots}/webhooks-phone.png`, fullPage: true });

    // Switched off, then deleted.
    await page.getByRole("button", { name: `Disable ${url}` }).click();
    await page.getByText(/^Disabled · added/).waitFor();
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: `Delete ${url}` }).click();
    await page.getByText("No endpoints yet.").waitFor();
    // Sign-in with TOTP enrolment, a chat, a download and a retried delivery: longer than the default on a shared machine.
  }, 180_000);
});
