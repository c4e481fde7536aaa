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

/** The imported patient who joins the Patient Portal and chats. */
export const rosa = {
  name: "Rosa Delgado",
  email: "rosa.delgado@mail.example",
  birthDateShown: "23 Apr 1986",
} as const;

const header = "Host ID,First Name,Last Name,Date of Birth,Email,Mobile,SMS Consent";
const firstNames = ["Noah", "Mia", "Liam", "Ava", "Ezra", "Iris", "Omar", "Lucia", "Theo", "June"];
const lastNames = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Castillo"];

/**
 * A clinic's export of 50 patients: row 1 is Rosa; with `withBadRows`, rows 10, 21 and 42 carry
 * a date that does not exist, no name, and an SMS consent that is neither yes nor no.
 */
export function patientsCsv({ withBadRows }: { readonly withBadRows: boolean }): Buffer {
  const rows = Array.from({ length: 50 }, (_, i) => {
    const id = `HL-${String(i + 1).padStart(4, "0")}`;
    if (i === 0) return `${id},Rosa,Delgado,1986-04-23,${rosa.email},+1 415 555 0100,yes`;
    const first = firstNames[i % firstNames.length];
    const last = lastNames[Math.floor(i / firstNames.length) % lastNames.length];
    const birth = `19${50 + (i % 50)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
    const good = `${id},${first},${last},${birth},,+1 415 555 ${String(1000 + i)},no`;
    if (!withBadRows) return good;
    if (i === 9) return `${id},${first},${last},1980-02-30,,,no`;
    if (i === 20) return `${id},,,${birth},,,no`;
    if (i === 41) return `${id},${first},${last},${birth},,,maybe`;
    return good;
  });
  return Buffer.from(`${header}\n${rows.join("\n")}\n`);
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
  await page.getByLabel("Authentication code").fill(authenticator.code(email));
  await page.getByRole("button", { name: "Continue" }).click();
}
