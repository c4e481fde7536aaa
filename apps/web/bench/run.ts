/**
 * Web benchmark (issue 8): first-load JavaScript (gzipped) and Lighthouse scores for the staff
 * Chat page and the Patient Portal, measured against the real product serving a fresh build.
 *
 * `npm run bench -w @clinic-chat/web` builds the app, starts the product on a temporary data
 * folder with the demo seed (as the browser tests do), signs in a staff member (TOTP) and a
 * patient, then:
 * - loads each page cold in a new Chromium profile holding only the session cookie and sums the
 *   gzip level 9 size of every JavaScript response up to network idle;
 * - runs Lighthouse (desktop preset, its default simulated throttling) on each page in Debian's
 *   Chromium with the session cookie sent as an extra header.
 * Prints one table and exits non-zero if any figure misses its target.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { desktopConfig } from "lighthouse";
import type { Browser } from "playwright-core";
import { launchBrowser, newPerson } from "../e2e/support/browser";
import { Authenticator, signInPatient, signInStaff } from "../e2e/support/signIn";
import { startTestProduct } from "../e2e/support/testProduct";

const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const jsBudgetBytes = 150 * 1024;
const minScore = 95;

interface Row {
  page: string;
  figure: string;
  value: string;
  target: string;
  pass: boolean;
}

interface Cookie {
  name: string;
  value: string;
  domain: string;
  path: string;
}

/** Gzipped bytes of all JS a fresh profile with only `cookies` downloads loading `path`. */
async function firstLoadJs(browser: Browser, url: string, path: string, cookies: Cookie[]): Promise<number> {
  const context = await browser.newContext({ baseURL: url });
  await context.addCookies(cookies);
  const page = await context.newPage();
  const sizes: Promise<number>[] = [];
  page.on("response", (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (!/javascript/.test(type) && !/\.m?js(\?|$)/.test(response.url())) return;
    sizes.push(
      response.body().then(
        (body) => gzipSync(body, { level: 9 }).length,
        () => 0,
      ),
    );
  });
  await page.goto(path, { waitUntil: "networkidle" });
  if (page.url().includes("sign-in")) throw new Error(`${path} showed the sign-in page: no session`);
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await context.close();
  return total;
}

/** Lighthouse performance, accessibility and best-practices (0–100) for `pageUrl`. */
async function lighthouseScores(pageUrl: string, cookies: Cookie[]): Promise<Record<string, number>> {
  const chrome = await chromeLauncher.launch({ chromePath: "/usr/bin/chromium", chromeFlags: chromiumFlags });
  try {
    const result = await lighthouse(
      pageUrl,
      {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility", "best-practices"],
        extraHeaders: { Cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
      },
      desktopConfig,
    );
    if (!result) throw new Error(`Lighthouse returned nothing for ${pageUrl}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse on ${pageUrl}: ${lhr.runtimeError.message}`);
    if (lhr.finalDisplayedUrl.includes("sign-in"))
      throw new Error(`Lighthouse on ${pageUrl} saw the sign-in page`);
    const scores: Record<string, number> = {};
    for (const [id, category] of Object.entries(lhr.categories)) {
      scores[id] = Math.round((category.score ?? 0) * 100);
    }
    for (const [id, audit] of Object.entries(lhr.audits)) {
      // Failing audits of the scored categories, to say why a score is short.
      if (audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode === "binary") {
        process.stderr.write(`  ${pageUrl}: ${id}: ${audit.title}\n`);
      }
    }
    return scores;
  } finally {
    chrome.kill();
  }
}

const webDir = resolve(import.meta.dirname, "..");
process.stderr.write("Building the web app…\n");
execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: webDir, stdio: "inherit" });

const product = await startTestProduct();
const browser = await launchBrowser();
const rows: Row[] = [];
try {
  const staff = await newPerson(browser, product.url);
  await signInStaff(staff.page, product.person("Dr. Priya Shah"), new Authenticator());
  const patient = await newPerson(browser, product.url);
  await signInPatient(patient.page, product.person("Elena Garcia"));

  const pages = [
    { name: "Staff Chat", path: "/staff/chat", cookies: await staff.context.cookies() },
    { name: "Patient Portal", path: "/portal", cookies: await patient.context.cookies() },
  ];
  for (const { name, path, cookies } of pages) {
    process.stderr.write(`Measuring ${path}…\n`);
    const js = await firstLoadJs(browser, product.url, path, cookies);
    rows.push({
      page: name,
      figure: "first-load JS (gzip -9)",
      value: `${(js / 1024).toFixed(1)} KB`,
      target: "≤ 150 KB",
      pass: js <= jsBudgetBytes,
    });
    const scores = await lighthouseScores(`${product.url}${path}`, cookies);
    for (const [id, label] of [
      ["performance", "Lighthouse performance"],
      ["accessibility", "Lighthouse accessibility"],
      ["best-practices", "Lighthouse best practices"],
    ] as const) {
      const score = scores[id] ?? 0;
      rows.push({
        page: name,
        figure: label,
        value: String(score),
        target: `≥ ${minScore}`,
        pass: score >= minScore,
      });
    }
  }
} finally {
  await browser.close();
  await product.stop();
}

const header = ["Page", "Figure", "Value", "Target", "Result"];
const table = [header, ...rows.map((r) => [r.page, r.figure, r.value, r.target, r.pass ? "pass" : "FAIL"])];
const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
process.stdout.write(`\nWeb performance (Lighthouse desktop preset, simulated throttling)\n\n`);
process.stdout.write(`${line(table[0] ?? [])}\n| ${widths.map((w) => "-".repeat(w)).join(" | ")} |\n`);
for (const row of table.slice(1)) process.stdout.write(`${line(row)}\n`);
process.exit(rows.every((r) => r.pass) ? 0 : 1);
