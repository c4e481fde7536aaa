import { createClinicChat } from "@clinic-chat/domain";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { launchBrowser, newPerson, viewports } from "./support/browser";
import { shoot } from "./support/firstDay";
import { Authenticator, signInStaff } from "./support/signIn";
import { startTestProduct, type TestProduct } from "./support/testProduct";

// SRCH-1 in the browser: a staff member searches their conversations from Staff Chat, sees the
// found words marked in context, and opens the conversation at the message, older pages loaded.

describe("SRCH-1: message search in Staff Chat", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  beforeAll(async () => {
    [product, browser] = await Promise.all([startTestProduct(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it("SRCH-1: search from Chat, results marked in context, all words before some, Enter opens the message in its conversation; on a phone too", async () => {
    const alex = product.person("Alex Morgan");
    const elena = product.person("Elena Garcia");
    const chat = createClinicChat(product.product.domain);
    const staffActor = { clinicId: alex.clinicId, person: { kind: "staff" as const, id: alex.personId } };
    const patientActor = {
      clinicId: elena.clinicId,
      person: { kind: "patient" as const, id: elena.personId },
    };
    const { conversation } = await chat.startPatientChat(staffActor, { patientId: elena.personId });
    const say = (text: string, i: number) =>
      chat.sendMessage(patientActor, { conversationId: conversation.id, clientId: `e2e-search-${i}`, text });
    const found = await say("Could we move my physiotherapy appointment to Thursday afternoon?", 0);
    // Enough newer messages that the one found is not on the first page of history.
    for (let i = 1; i <= 45; i++) await say(`Another note, number ${i}.`, i);
    // A long message among the newest, which opens near the bottom of the history.
    const recent = await say(
      "Is it fine to take my Lisinopril 10 mg with breakfast, or should it be at night? I also get a dry cough in the evenings since I started it, and wondered whether that is expected or whether I should book a review.",
      46,
    );
    // Followed by a little more than a phone's list holds besides it.
    for (let i = 47; i <= 50; i++) await say(`Thanks, one more short note (${i}).`, i);

    const staff = await newPerson(browser, product.url);
    await signInStaff(staff.page, alex, authenticator);
    const page = staff.page;
    await page.getByRole("button", { name: "Search messages" }).click();
    const box = page.getByLabel("Words to find");
    await box.waitFor();
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page, "message search, empty");
    await shoot(page, "search-empty");

    await box.fill("zzqx");
    await box.press("Enter");
    await page.getByText("No messages found.").waitFor();
    await expectAccessible(page, "message search, nothing found");

    await box.fill("?!");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByText("Type at least one word").waitFor();

    await box.fill("APPOIN thurs");
    await box.press("Enter");
    const results = page.getByRole("list", { name: "Messages found" });
    await results.waitFor();
    const hit = results.getByRole("link").first();
    expect(await hit.locator("mark").allTextContents()).toEqual(["appointment", "Thursday"]);
    expect(await hit.textContent()).toContain(elena.name);
    await expectAccessible(page, "message search, results");
    await shoot(page, "search-results");

    await hit.focus();
    await page.keyboard.press("Enter");
    const row = page.locator(`[data-message-id="${found.id}"]`);
    await row.waitFor({ state: "attached", timeout: 120_000 }).catch(async (error: unknown) => {
      await shoot(page, "search-opened-failed");
      throw error;
    });
    expect(new URL(page.url()).pathname).toBe(`/staff/chat/${conversation.id}`);
    expect(await row.evaluate((el) => el.classList.contains("message--found"))).toBe(true);
    expect(await row.isVisible()).toBe(true);
    const box2 = await row.boundingBox();
    const list = await page.getByRole("region", { name: "Messages", exact: true }).boundingBox();
    expect(box2 && list && box2.y >= list.y - 1 && box2.y < list.y + list.height).toBe(true);
    await expectAccessible(page, "conversation opened at a found message");
    await shoot(page, "search-opened");
    // The search stays open beside the conversation, with its words and results, and the keyboard
    // stays with the conversation.
    expect(await page.getByLabel("Words to find").inputValue()).toBe("APPOIN thurs");
    await page.getByRole("list", { name: "Messages found" }).waitFor();
    expect(await page.getByLabel("Words to find").evaluate((el) => el === document.activeElement)).toBe(
      false,
    );
    // Words no one message holds: the messages with some of them, under a heading that says so.
    const box3 = page.getByLabel("Words to find");
    await box3.fill("physiotherapy lisinopril");
    await box3.press("Enter");
    const some = page.getByRole("list", { name: "No message has all your words; these have some" });
    await some.waitFor();
    expect(await some.getByRole("link").count()).toBe(2);
    expect(await page.getByRole("list", { name: "Messages found" }).count()).toBe(0);
    await expectAccessible(page, "message search, some of the words");
    await shoot(page, "search-some-words");
    // More results hand the keyboard to the first message newly shown.
    await box3.fill("note");
    await box3.press("Enter");
    await page.getByText("20 messages shown, more below").waitFor();
    await page.getByRole("button", { name: "Show more results" }).click();
    await page.getByText("40 messages shown, more below").waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-hit") === "20");
    await page.getByRole("button", { name: "Show more results" }).click();
    await page.getByText("49 messages found").waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-hit") === "40");
    // Clearing the box clears the results; closing the search brings the conversations back.
    await page.getByLabel("Words to find").fill("");
    await page.getByText("Find a message in your conversations").waitFor();
    expect(await page.getByRole("list", { name: "Messages found" }).count()).toBe(0);
    await page.getByRole("button", { name: "Close search" }).click();
    await page.getByRole("button", { name: "Search messages" }).click();
    // Escape empties the box first, then closes the search.
    await page.getByLabel("Words to find").fill("physio");
    await page.getByLabel("Words to find").press("Enter");
    await page.getByText("1 message found").waitFor();
    await page.getByLabel("Words to find").press("Escape");
    await page.getByText("Find a message in your conversations").waitFor();
    expect(await page.getByLabel("Words to find").inputValue()).toBe("");
    await page.getByLabel("Words to find").press("Escape");
    await page.getByRole("button", { name: "Search messages" }).waitFor();

    // The phone: the search replaces the list; a hit opens the conversation in its place.
    const phone = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(phone.page, alex, authenticator);
    await phone.page.getByRole("button", { name: "Search messages" }).click();
    await phone.page.getByLabel("Words to find").fill("physio");
    await phone.page.getByLabel("Words to find").press("Enter");
    await phone.page.getByRole("list", { name: "Messages found" }).waitFor();
    await shoot(phone.page, "search-results-phone");
    await phone.page.getByRole("list", { name: "Messages found" }).getByRole("link").first().click();
    await phone.page.locator(`[data-message-id="${found.id}"]`).waitFor();
    expect(await phone.page.locator(`[data-message-id="${found.id}"]`).isVisible()).toBe(true);
    // Back returns to the results, to open the next one.
    await phone.page.goBack();
    await phone.page.getByRole("list", { name: "Messages found" }).waitFor();
    expect(await phone.page.getByLabel("Words to find").inputValue()).toBe("physio");
    await phone.page.getByText("1 message found").waitFor();

    // A message found among the newest opens whole in view on a phone too, once the page settles.
    await phone.page.getByLabel("Words to find").fill("lisinopril");
    await phone.page.getByLabel("Words to find").press("Enter");
    await phone.page.getByRole("list", { name: "Messages found" }).getByRole("link").first().click();
    const recentRow = phone.page.locator(`[data-message-id="${recent.id}"]`);
    await recentRow.waitFor();
    await phone.page.waitForTimeout(1500);
    const rowBox = await recentRow.boundingBox();
    const listBox = await phone.page.getByRole("region", { name: "Messages", exact: true }).boundingBox();
    expect(rowBox && listBox && rowBox.y >= listBox.y - 1, JSON.stringify({ rowBox, listBox })).toBe(true);
    expect(rowBox && listBox && rowBox.y + rowBox.height <= listBox.y + listBox.height + 1).toBe(true);
    await shoot(phone.page, "search-opened-recent-phone");
  }, 480_000);
});
