import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson } from "./support/browser";
import { Authenticator, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

describe("automatic logoff in the browser (SEC-2)", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("SEC-2: warns before the clinic's idle timeout, signs out when it ends, and leaves nothing of the conversation on screen or in storage", async () => {
    const alex = product.person("Alex Morgan");
    const { context, page } = await newPerson(browser, product.url);
    // The page's clock is the test's: idle minutes pass in an instant, nothing sleeps.
    await context.clock.install();
    await signInStaff(page, alex, authenticator);

    // The clinic's setting (Clinic Settings › Security): two minutes, whose warning comes a minute
    // before the end. One minute's warns halfway, and a slow machine can spend those thirty
    // seconds checking the warning before the test clicks it.
    await page.getByRole("link", { name: "Security" }).click();
    const idle = page.getByLabel("Sign out after this long without activity");
    await idle.selectOption("2");
    await expect.poll(() => idle.inputValue()).toBe("2");
    await expectAccessible(page, "Security settings");

    await page.getByRole("link", { name: "Chat", exact: true }).click();
    await page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByLabel("Search patients by name").fill("Marcus");
    await dialog.getByRole("radio", { name: "Marcus Chen" }).check();
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await page.getByRole("textbox", { name: "Message" }).fill("Your blood pressure readings look fine.");
    await page.keyboard.press("Enter");
    await page.getByText("Your blood pressure readings look fine.").waitFor();

    // A minute idle: the warning, with a way to stay.
    await page.clock.fastForward(61_000);
    const warning = page.getByRole("alertdialog", { name: "Are you still there?" });
    await warning.waitFor();
    await expectAccessible(page, "idle warning");
    await warning.getByRole("button", { name: "Stay signed in" }).click();
    await warning.waitFor({ state: "detached" });

    // Idle again, this time to the end: the sign-in page, and nothing left behind.
    await page.clock.fastForward(61_000);
    await warning.waitFor();
    await page.clock.fastForward(60_000);
    await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
    await page.getByText("You were signed out because there was no activity for a while.").waitFor();
    const body = (await page.locator("body").textContent()) ?? "";
    expect(body).not.toContain("blood pressure");
    expect(body).not.toContain("Marcus");
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    await expectAccessible(page, "staff sign-in after idle logoff");

    // The server ended the session too: the app does not open again without signing in.
    await page.goto("/staff/chat");
    await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
    await context.close();
  });
});
