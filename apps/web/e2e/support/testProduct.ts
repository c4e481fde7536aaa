import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectPostgres } from "@clinic-chat/adapters";
import { createLogger, loadConfig } from "@clinic-chat/api";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type DemoSeed, seedDemo } from "../../../api/src/seed/demoSeed";
import { type RunningProduct, startProduct } from "../../../api/src/start/startProduct";
import { launchBrowser } from "./browser";

/** Every seeded person's password in the browser tests. */
export const password = "browser-test-password-2026";

/** A person of the seed, by name. */
export interface SeededPerson {
  readonly name: string;
  readonly email: string;
  readonly clinic: string;
  readonly clinicId: string;
  readonly personId: string;
  readonly kind: "staff" | "patient";
}

/** The product the browser tests drive, on its own data folder. */
export interface TestProduct {
  readonly url: string;
  readonly product: RunningProduct;
  /** A database URL that reads every row (a superuser's): for counting what is really stored. */
  readonly inspectUrl: string;
  /** The product's data folder (its mail folder, its database's application password). */
  readonly dataDir: string;
  /** The demo seed; empty when started as `DEMO_SEED=never` starts it. */
  readonly seed: DemoSeed;
  /** A seeded person by exact name and clinic plan ("premium", "enhanced", "starter"). */
  person(name: string, plan?: "premium" | "enhanced" | "starter"): SeededPerson;
  /** The newest invitation link written to the local mail folder for this address. */
  invitationLink(to: string): Promise<string>;
  /** The newest password reset link (ACC-1) written to the local mail folder for this address. */
  passwordResetLink(to: string): Promise<string>;
  /** How many emails the local mail folder holds for this address (NOTIF-3, INBOX-4). */
  emailCount(to: string): Promise<number>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The real product, as `npm start` runs it (embedded PostgreSQL and S3, local .eml mail) and
 * serving the built web app, on a temporary data folder. Seeded through the domain's ports with
 * the demo clinics; every person gets {@link password} and nothing else, so staff go through TOTP
 * enrolment on their first sign-in like real new staff.
 *
 * The port is chosen before starting rather than 0, because the server accepts state-changing
 * requests only from its PUBLIC_URL's origin, which must therefore name the port.
 */
export async function startTestProduct(
  /** `demoSeed: false` starts on an empty database, as `DEMO_SEED=never npm start` does. */
  { demoSeed = true }: { readonly demoSeed?: boolean } = {},
): Promise<TestProduct> {
  if (process.env.E2E_BASE_URL) return deployedProduct(process.env.E2E_BASE_URL, demoSeed);
  const dataDir = await mkdtemp(join(tmpdir(), "clinic-chat-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
  });
  let seed: DemoSeed | null = null;
  const product = await startProduct(config, {
    logger: createLogger({ level: "silent" }),
    beforeListen: async ({ ownerUrl, domain, auth }) => {
      if (!demoSeed) {
        seed = { clinics: [], signIns: [] };
        return;
      }
      const owner = connectPostgres(ownerUrl, { max: 1 });
      try {
        seed = await seedDemo({ uow: domain.uow, ids: domain.ids, db: owner, now: domain.clock.now() });
      } finally {
        await owner.destroy();
      }
      for (const signIn of seed.signIns) {
        await auth.credentials.provision({
          clinicId: signIn.clinicId,
          person: { kind: signIn.kind, id: signIn.personId },
          email: signIn.email,
          password,
        });
      }
    },
  });
  if (!seed || !product.url) throw new Error("the product did not start");
  const seeded: DemoSeed = seed;
  const clinics = new Map(seeded.clinics.map((c) => [c.id, c]));
  return {
    url,
    product,
    inspectUrl: product.ownerUrl,
    dataDir,
    seed: seeded,
    person(name, plan = "premium") {
      const found = seeded.signIns.find((s) => s.name === name && clinics.get(s.clinicId)?.plan === plan);
      if (!found) throw new Error(`no seeded person ${name} (${plan})`);
      return {
        name: found.name,
        email: found.email,
        clinic: found.clinic,
        clinicId: found.clinicId,
        personId: found.personId,
        kind: found.kind,
      };
    },
    async invitationLink(to) {
      const folder = join(dataDir, "mail");
      const names = (await readdir(folder))
        .filter((n) => n.endsWith(".eml"))
        .sort()
        .reverse();
      for (const name of names) {
        const raw = await readFile(join(folder, name), "utf8");
        if (!raw.includes(to)) continue;
        // Quoted-printable: join soft line breaks and decode =XX before reading the link.
        const text = raw
          .replace(/=\r?\n/g, "")
          .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
        const link = text.match(/https?:\/\/[^\s"<>]+\/(?:portal|staff)\/invitation#[A-Za-z0-9_-]{43}/)?.[0];
        if (link) return link;
      }
      throw new Error(`no invitation email to ${to}`);
    },
    async emailCount(to) {
      const folder = join(dataDir, "mail");
      const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(".eml"));
      let count = 0;
      for (const name of names) if ((await readFile(join(folder, name), "utf8")).includes(to)) count++;
      return count;
    },
    passwordResetLink: (to) =>
      newestLink(
        dataDir,
        to,
        /https?:\/\/[^\s"<>]+\/(?:staff|portal)\/reset-password(?:\?next=[^\s"<>#]+)?#[A-Za-z0-9_-]{43}/,
      ),
    async stop() {
      await product.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One browser test file's product and browser: both start side by side before the file's tests,
 * `use` receives them (for the file's own variables and setup), and both stop after the tests,
 * the browser first. A file's later `beforeAll` hooks run after this one, its `afterAll` hooks
 * before this one's.
 */
export function productForFile(
  use: (started: { product: TestProduct; browser: Browser }) => void | Promise<void>,
  options: { readonly demoSeed?: boolean } = {},
): void {
  let product: TestProduct | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const [startedProduct, startedBrowser] = await Promise.allSettled([
      startTestProduct(options),
      launchBrowser(),
    ]);
    if (startedProduct.status === "fulfilled") product = startedProduct.value;
    if (startedBrowser.status === "fulfilled") browser = startedBrowser.value;
    if (startedProduct.status === "rejected") throw startedProduct.reason;
    if (startedBrowser.status === "rejected") throw startedBrowser.reason;
    await use({ product: startedProduct.value, browser: startedBrowser.value });
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });
}

/** The newest link matching `pattern` in a local .eml written for `to`. */
async function newestLink(dataDir: string, to: string, pattern: RegExp): Promise<string> {
  const folder = join(dataDir, "mail");
  const names = (await readdir(folder))
    .filter((n) => n.endsWith(".eml"))
    .sort()
    .reverse();
  for (const name of names) {
    const raw = await readFile(join(folder, name), "utf8");
    if (!raw.includes(to)) continue;
    // Quoted-printable: join soft line breaks and decode =XX before reading the link.
    const text = raw
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    const link = text.match(pattern)?.[0];
    if (link) return link;
  }
  throw new Error(`no such email to ${to}`);
}

/**
 * A deployment that runs elsewhere (`E2E_BASE_URL`, e.g. the one `apps/api/scripts/deployFromDocs.mjs`
 * starts by following docs/deploying.md): the browser goes to its public URL, the operator command
 * to its database (`E2E_DATABASE_URL`, the owner), the counts to `E2E_INSPECT_URL`, and the mail
 * helpers read the `.eml` files its mail server saves under `E2E_DATA_DIR/mail`. A production
 * deployment never has demo data, so only the tests that start on an empty database run there.
 */
function deployedProduct(url: string, demoSeed: boolean): TestProduct {
  if (demoSeed)
    throw new Error(
      "this browser test needs the demo seed, which a production deployment never has: against E2E_BASE_URL only the tests that start on an empty database run",
    );
  const required = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`E2E_BASE_URL also needs ${name}`);
    return value;
  };
  const dataDir = required("E2E_DATA_DIR");
  const ownerUrl = required("E2E_DATABASE_URL");
  // Only the database is known of a deployment elsewhere: anything else of it is a test's mistake.
  const product = new Proxy({ ownerUrl } as RunningProduct, {
    get(target, key) {
      if (key === "ownerUrl") return target.ownerUrl;
      if (key === "then") return undefined;
      throw new Error(`a deployment at E2E_BASE_URL has no in-process ${String(key)}`);
    },
  });
  const notSeeded = () => {
    throw new Error("a production deployment has no demo seed");
  };
  return {
    url: url.replace(/\/+$/, ""),
    product,
    inspectUrl: required("E2E_INSPECT_URL"),
    dataDir,
    seed: { clinics: [], signIns: [] },
    person: notSeeded,
    invitationLink: (to) =>
      newestLink(dataDir, to, /https?:\/\/[^\s"<>]+\/(?:portal|staff)\/invitation#[A-Za-z0-9_-]{43}/),
    passwordResetLink: (to) =>
      newestLink(
        dataDir,
        to,
        /https?:\/\/[^\s"<>]+\/(?:staff|portal)\/reset-password(?:\?next=[^\s"<>#]+)?#[A-Za-z0-9_-]{43}/,
      ),
    async emailCount(to) {
      const folder = join(dataDir, "mail");
      const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(".eml"));
      let count = 0;
      for (const name of names) if ((await readFile(join(folder, name), "utf8")).includes(to)) count++;
      return count;
    },
    async stop() {},
  };
}
