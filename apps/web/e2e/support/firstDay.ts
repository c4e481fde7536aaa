import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { viewports } from "./browser";
import type { Authenticator } from "./signIn";

/** The clinic of the first-day test and its first staff. */
export interface Clinic {
  readonly name: string;
  readonly timeZone: string;
  readonly admin: string;
  readonly practitioner: string;
  readonly frontDesk: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The Monday after the clocks go forward in the United States (second Sunday of March), at least
 * two days ahead: a booking made in winter for a day of summer time.
 */
export function nextDstMonday(now: Date): { date: string } {
  for (let year = now.getUTCFullYear(); ; year++) {
    const marchFirst = new Date(Date.UTC(year, 2, 1)).getUTCDay();
    const secondSunday = 1 + ((7 - marchFirst) % 7) + 7;
    const monday = new Date(Date.UTC(year, 2, secondSunday + 1));
    if (monday.getTime() - now.getTime() > 2 * 24 * 60 * 60_000)
      return { date: `${year}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}` };
  }
}

/** Where the screenshots go: E2E_SCREENSHOTS, or a folder in the system's temporary directory. */
export const screenshotDir = process.env.E2E_SCREENSHOTS ?? join(tmpdir(), "clinic-chat-first-day");

/**
 * Photographs the page as it is now at desktop and at phone width (the page's own width last),
 * and checks that nothing sticks out sideways on the phone.
 */
export async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const own = page.viewportSize() ?? viewports.desktop;
  const order =
    own.width === viewports.phone.width ? (["desktop", "phone"] as const) : (["phone", "desktop"] as const);
  for (const size of order) {
    await page.setViewportSize(viewports[size]);
    if (size === "phone")
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        `${name}: the page is wider than a phone`,
      ).toBeLessThanOrEqual(viewports.phone.width);
    await page.screenshot({ path: join(screenshotDir, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(own);
}

/** Signs a staff member in with password and TOTP code, from the sign-in page it is on or opens. */
export async function signInWithCode(
  page: Page,
  email: string,
  password: string,
  authenticator: Authenticator,
): Promise<void> {
  if (new URL(page.url()).pathname !== "/staff/sign-in") await page.goto("/staff/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Authentication code").fill(await authenticator.code(email));
  await page.getByRole("button", { name: "Continue" }).click();
}
