import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const shots = "/tmp/chatux-shots";

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.keyboard.press("Enter");
  await page.locator(".message:not(.message--sending)", { hasText: text }).last().waitFor();
}

/** The on-screen box of an element, or a failure naming it. */
async function box(page: Page, selector: string) {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not on screen`);
  return found;
}

describe("a chat that feels finished, in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("MSG-3: opening a conversation jumps to the first unread; runs of one sender grouped under a date separator; links open safely; the phone layout survives going offline; the portal names the clinic in full; the ⋯ menu of the last message is not cut off", async () => {
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
    await send(staff.page, "Good morning Elena, your results are in.");

    // The patient reads it on her phone, then goes back to her list.
    await patient.page.getByRole("link", { name: /Priya Shah/ }).click();
    await patient.page.getByText("Good morning Elena, your results are in.").waitFor();
    await patient.page.getByRole("link", { name: "All conversations" }).click();
    await patient.page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();

    // The portal's top bar shows the clinic's whole name on a phone (no ellipsis).
    const brand = patient.page.locator(".topbar__brand > span").first();
    expect(await brand.textContent()).toBe("Maple Grove Family Practice");
    const cut = await brand.evaluate((el) => ({
      wide: el.scrollWidth > el.clientWidth + 1,
      tall: el.scrollHeight > el.clientHeight + 1,
    }));
    expect(cut).toEqual({ wide: false, tall: false });
    await patient.page.screenshot({ path: `${shots}/portal-list-phone.png` });

    for (let n = 1; n <= 18; n++) await send(staff.page, `Note ${n} about your results.`);
    await send(staff.page, "Directions: https://maps.example.org/maple-grove?floor=2.");

    // Opening the conversation again: it starts at the first unread message, not at the bottom.
    await patient.page.getByRole("link", { name: /Priya Shah/ }).click();
    const divider = patient.page.locator(".history-divider--unread");
    await divider.waitFor();
    expect(await divider.textContent()).toBe("New messages");
    const scroller = await box(patient.page, ".message-list__scroller");
    const unread = await box(patient.page, ".history-divider--unread");
    expect(unread.y).toBeGreaterThanOrEqual(scroller.y - 1);
    expect(unread.y + unread.height).toBeLessThanOrEqual(scroller.y + scroller.height);
    expect(await patient.page.getByText("Note 1 about your results.").isVisible()).toBe(true);
    const lastInView = await patient.page
      .getByText("Directions:", { exact: false })
      .evaluate((el, bottom) => el.getBoundingClientRect().top < bottom, scroller.y + scroller.height);
    expect(lastInView).toBe(false);

    // One sender's run shows the name once; a date separator heads the day.
    await patient.page.locator(".history-divider time").first().waitFor();
    expect(await patient.page.locator(".history-divider time").first().textContent()).toBe("Today");
    expect(await patient.page.locator(".message--grouped").count()).toBeGreaterThanOrEqual(18);
    expect(
      await patient.page.locator(".message__meta:not(.visually-hidden) .message__sender").count(),
    ).toBeLessThanOrEqual(2);

    // The link: clickable, opened in a new tab without opener or referrer, never previewed.
    const link = patient.page.getByRole("link", { name: "https://maps.example.org/maple-grove?floor=2" });
    expect(await link.getAttribute("href")).toBe("https://maps.example.org/maple-grove?floor=2");
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await patient.page.locator(".message img, .message iframe").count()).toBe(0);
    await expectAccessible(patient.page, "portal conversation with grouped messages, separators and a link");
    await patient.page.screenshot({ path: `${shots}/portal-conversation-unread-phone.png` });

    // Offline on a phone: the banner shrinks the chat; the composer stays on screen.
    const height = viewports.phone.height;
    await patient.context.setOffline(true);
    await patient.page.getByText("You're offline.").waitFor();
    const composer = patient.page.getByRole("textbox", { name: "Message" });
    const offline = await composer.boundingBox();
    expect(offline && offline.y + offline.height).toBeLessThanOrEqual(height);
    expect(await patient.page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(
      height,
    );
    await patient.page.screenshot({ path: `${shots}/portal-offline-phone.png` });

    // Back online: no gap under the composer, the top bar where it was.
    await patient.context.setOffline(false);
    await patient.page.getByText("You're offline.").waitFor({ state: "detached" });
    expect((await box(patient.page, ".topbar")).y).toBe(0);
    const conversation = await box(patient.page, ".conversation");
    expect(Math.abs(conversation.y + conversation.height - height)).toBeLessThanOrEqual(1);
    expect(await patient.page.evaluate(() => window.scrollY)).toBe(0);
    await patient.page.screenshot({ path: `${shots}/portal-reconnected-phone.png` });

    // Staff, desktop: the ⋯ menu of the last message opens where it can be seen whole.
    const last = staff.page.locator(".message", { hasText: "Directions:" });
    await last.hover();
    await last.getByRole("button", { name: /Actions for your message/ }).click();
    const menu = staff.page.getByRole("menu", { name: "Message actions" });
    await menu.waitFor();
    const menuBox = await box(staff.page, '[role="menu"]');
    const staffScroller = await box(staff.page, ".message-list__scroller");
    expect(menuBox.y + menuBox.height).toBeLessThanOrEqual(staffScroller.y + staffScroller.height);
    expect(menuBox.y).toBeGreaterThanOrEqual(staffScroller.y);
    await staff.page.screenshot({ path: `${shots}/staff-menu-last-message.png` });
    await staff.page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await expectAccessible(staff.page, "staff conversation with grouped messages and a link");
    for (const person of [staff, patient]) await person.context.close();
  });

  it("Escape closes the staff menu on a phone from its own button", async () => {
    const frontDesk = await newPerson(browser, product.url, viewports.phone);
    await signInStaff(frontDesk.page, product.person("Jordan Lee"), authenticator);
    const button = frontDesk.page.getByRole("button", { name: "Menu" });
    await button.click();
    const nav = frontDesk.page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "My Account" }).waitFor();
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    await expectAccessible(frontDesk.page, "staff menu open on a phone");
    await button.focus();
    await frontDesk.page.keyboard.press("Escape");
    await expect.poll(() => button.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.isVisible()).toBe(false);
    await frontDesk.context.close();
  });
});
