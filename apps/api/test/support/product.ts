import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { connectPostgres } from "@clinic-chat/adapters";
import type { Patient, PersonRef, StaffMember } from "@clinic-chat/domain";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { sql } from "kysely";
import { inject, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../packages/adapters/test/support/postgres";
import { newTotpSecret, totpCode } from "../../src/auth/totp";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logging";
import type { AppRouter } from "../../src/router";
import { type RunningProduct, startProduct } from "../../src/start/startProduct";
import { testUuid } from "./fakes";
import { seedWorld } from "./world";

/** The product's public URL in these tests: the origin every browser here sends (SEC-7). */
export const productOrigin = "http://clinic.test";

/** Every person's password in the product tests. */
export const productPassword = "correct horse battery staple";

/** argon2id, but cheap: the algorithm and format are production's, the cost is not. */
const testHashing = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

/** One request a browser made and what came back: for the SEC-5 checks on URLs and bodies. */
export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  body: string;
}

/**
 * One browser of the real product: a cookie jar in front of a typed tRPC client over real HTTP,
 * and a record of every request it made with the answer it got.
 */
export class ProductBrowser {
  readonly cookies = new Map<string, string>();
  readonly exchanges: Exchange[] = [];
  readonly trpc;
  constructor(readonly baseUrl: string) {
    this.trpc = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${baseUrl}/trpc`,
          headers: () => this.headers(),
          fetch: (i, o) => this.fetch(i, o),
        }),
      ],
    });
  }

  /** The headers a same-origin request of this browser carries. */
  headers(): Record<string, string> {
    return {
      origin: productOrigin,
      ...(this.cookies.size > 0
        ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") }
        : {}),
    };
  }

  /** fetch, remembering the cookies it is given and the whole exchange. */
  async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const response = await fetch(input, init);
    for (const header of response.headers.getSetCookie()) this.receive(header);
    const isStream = response.headers.get("content-type")?.includes("text/event-stream") ?? false;
    this.exchanges.push({
      method: init?.method ?? "GET",
      url,
      status: response.status,
      body: isStream ? "" : await response.clone().text(),
    });
    return response;
  }

  /**
   * Calls a procedure by path with raw JSON, as the access matrix needs: the status and error data
   * of the answer. Cookies it is sent are not kept (`auth.signIn` must not switch this browser to
   * another person). A subscription is read up to its first event after `connected`: its error
   * or its first data.
   */
  async call(path: string, type: "query" | "mutation" | "subscription", input: unknown) {
    const headers = this.headers();
    const cookies = new Map(this.cookies);
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const controller = new AbortController();
    const response =
      type === "mutation"
        ? await this.fetch(`${this.baseUrl}/trpc/${path}`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify(input ?? {}),
          })
        : await this.fetch(`${this.baseUrl}/trpc/${path}${query}`, {
            headers: type === "subscription" ? { ...headers, accept: "text/event-stream" } : headers,
            signal: controller.signal,
          });
    this.cookies.clear();
    for (const [name, value] of cookies) this.cookies.set(name, value);
    const streamed = response.headers.get("content-type")?.includes("text/event-stream") ?? false;
    const body = streamed ? await firstEvent(response, controller) : await response.text();
    const exchange = this.exchanges.at(-1);
    if (streamed && exchange) exchange.body = body;
    let error: WireError | null = null;
    if (streamed) {
      const match = /^event: serialized-error\ndata: (.*)$/m.exec(body);
      if (match?.[1]) error = JSON.parse(match[1]) as WireError;
    } else {
      error = (JSON.parse(body) as { error?: WireError }).error ?? null;
    }
    return {
      status: error ? error.data.httpStatus : response.status,
      code: error?.data.code ?? null,
      domainCode: error?.data.domainCode ?? null,
      message: error?.message ?? null,
      body,
    };
  }

  private receive(header: string): void {
    const [pair = "", ...attributes] = header.split(";");
    const at = pair.indexOf("=");
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (value === "" || attributes.some((a) => a.trim().toLowerCase() === "max-age=0"))
      this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** An error as it travels: tRPC's envelope with our `data` (see errors.ts). */
interface WireError {
  readonly message: string;
  readonly data: { readonly code: string; readonly httpStatus: number; readonly domainCode: string | null };
}

/** Reads an SSE response up to its first event after `connected`, then closes it. */
async function firstEvent(response: Response, controller: AbortController): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return text;
      text += decoder.decode(chunk.value, { stream: true });
      const events = text.split("\n\n").filter((e) => e.trim() !== "" && !e.startsWith("event: connected"));
      if (events.length > 0 && text.endsWith("\n\n")) return text;
    }
  } finally {
    controller.abort();
  }
}

/** The tRPC error of a failed call: its message and data, for assertions. */
export async function refusalOf(
  call: Promise<unknown>,
): Promise<{ message: string; code: string; domainCode: unknown; details: unknown }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("the call did not fail with a tRPC error");
  const data = error.data as { code: string; domainCode: unknown; details: unknown };
  return { message: error.message, code: data.code, domainCode: data.domainCode, details: data.details };
}

/** Decodes the quoted-printable parts of a MIME message well enough to read its text. */
export function readableEmail(raw: string): string {
  return raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// Starting the product runs preparePostgres, which ALTERs the application role: a cluster-wide
// row that two files starting at once would update concurrently. One at a time, then.
export async function oneStartAtATime<T>(work: () => Promise<T>): Promise<T> {
  const server = connectPostgres(inject("postgres").ownerUrl, { max: 1 });
  try {
    return await server.connection().execute(async (connection) => {
      await sql`select pg_advisory_lock(7710301)`.execute(connection);
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(7710301)`.execute(connection);
      }
    });
  } finally {
    await server.destroy();
  }
}

/**
 * The whole product as `npm start` runs it (startProduct): a database of its own on the test
 * run's PostgreSQL, embedded s3rver and .eml mail under a temporary data folder, the pg-boss
 * notification worker and the HTTP server on a free port, logging into {@link logs}. Seeded
 * with the API tests' world (two clinics) and sign-ins for everyone: staff with TOTP secrets
 * the tests know. `env` adds to the configuration (a clamd to scan uploads with, say).
 */
export async function startTestProduct(env: Readonly<Record<string, string>> = {}) {
  const database: TestDatabase = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), "clinic-chat-product-"));
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const config = loadConfig({
    DATABASE_URL: database.ownerUrl,
    DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    PUBLIC_URL: productOrigin,
    NODE_ENV: "test",
    ...env,
  });
  let product: RunningProduct;
  try {
    product = await oneStartAtATime(() =>
      startProduct(config, {
        logger,
        appPassword: inject("postgres").appPassword,
        passwordHashing: testHashing,
      }),
    );
  } catch (error) {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = product.url!;
  const { uow } = product.domain;
  const base = await seedWorld(uow);

  // Beside the seeded world: a clinic A admin who will be deactivated, a patient whose portal
  // account will be disabled (both after signing in), and a patient only used to sign in.
  const a = {
    ...base.a,
    leaver: {
      ...base.a.admin,
      id: testUuid("5aff", 50),
      name: "Lee Leaver",
      email: "leaver@clinic.test",
    } satisfies StaffMember,
    disabled: {
      ...base.a.patient,
      id: testUuid("9a71", 50),
      name: "Dina Disabled",
      email: "dina@mail.test",
    } satisfies Patient,
    probe: {
      ...base.a.patient,
      id: testUuid("9a71", 51),
      name: "Pia Probe",
      email: "pia@mail.test",
    } satisfies Patient,
  };
  const b = base.b;
  await uow.run(a.clinicId, async (s) => {
    await s.directory.saveStaff(a.leaver);
    await s.directory.savePatient(a.disabled);
    await s.directory.savePatient(a.probe);
  });

  const secrets = new Map<string, string>();
  const lastStep = new Map<string, number>();
  for (const clinic of [a, b]) {
    const people: (StaffMember | Patient)[] = [
      clinic.admin,
      clinic.doctor,
      clinic.awayDoctor,
      clinic.nurse,
      clinic.patient,
      clinic.invited,
    ];
    if (clinic === a) people.push(a.leaver, a.disabled, a.probe);
    for (const person of people) {
      if (!person.email || ("portalAccount" in person && person.portalAccount !== "active")) continue;
      const isStaff = "role" in person;
      const ref: PersonRef = isStaff ? { kind: "staff", id: person.id } : { kind: "patient", id: person.id };
      const totpSecret = isStaff ? newTotpSecret() : undefined;
      if (totpSecret) secrets.set(person.id, totpSecret);
      await product.auth.credentials.provision({
        clinicId: clinic.clinicId,
        person: ref,
        email: person.email,
        password: productPassword,
        ...(totpSecret ? { totpSecret } : {}),
      });
    }
  }

  /** A staff member's current TOTP code that was not used yet (codes are single-use, ±1 step). */
  const freshCode = (staff: StaffMember): string => {
    const secret = secrets.get(staff.id);
    if (!secret) throw new Error(`${staff.name} has no TOTP secret`);
    const step = Math.floor(Date.now() / 30_000);
    const next = Math.max(step, (lastStep.get(staff.id) ?? 0) + 1);
    if (next > step + 1) throw new Error(`${staff.name} already used this half-minute's codes`);
    lastStep.set(staff.id, next);
    return totpCode(secret, new Date(next * 30_000));
  };

  const mailDir = join(dataDir, "mail");
  /** Every .eml file written so far, by name. */
  const mails = async (): Promise<{ name: string; raw: string }[]> => {
    const names = await readdir(mailDir).catch(() => [] as string[]);
    return Promise.all(
      names
        .filter((name) => name.endsWith(".eml"))
        .sort()
        .map(async (name) => ({ name, raw: await readFile(join(mailDir, name), "utf8") })),
    );
  };

  return {
    url,
    product,
    world: { a, b },
    logs,
    dataDir,
    /** Superuser handle on the product's database: what is really stored. */
    owner: database.owner,
    /** Superuser handle that bypasses RLS on every server (the owner does not on an external one). */
    inspect: database.inspect,
    browser: () => new ProductBrowser(url),
    /** A new browser signed in as `staff` through auth.signIn with password and TOTP. */
    async signInStaff(staff: StaffMember, browser = new ProductBrowser(url)) {
      const result = await browser.trpc.auth.signIn.mutate({
        audience: "staff",
        email: staff.email,
        password: productPassword,
        code: freshCode(staff),
      });
      if (result.status !== "signedIn") throw new Error(`${staff.name}: ${result.status}`);
      return browser;
    },
    /** A new browser signed in as `patient` through auth.signIn with their password. */
    async signInPatient(patient: Pick<Patient, "email" | "name">, password = productPassword) {
      const browser = new ProductBrowser(url);
      const result = await browser.trpc.auth.signIn.mutate({
        audience: "patient",
        email: patient.email ?? "",
        password,
      });
      if (result.status !== "signedIn") throw new Error(`${patient.name}: ${result.status}`);
      return browser;
    },
    mails,
    /**
     * Waits until an email satisfying `found` has been written (polling the mail folder with a
     * deadline: the worker and the mailer are other processes' timing), and returns it.
     */
    async waitForMail(
      found: (mail: { name: string; raw: string; text: string }) => boolean,
      timeout = 15_000,
    ) {
      return vi.waitFor(
        async () => {
          for (const mail of await mails()) {
            const withText = { ...mail, text: readableEmail(mail.raw) };
            if (found(withText)) return withText;
          }
          throw new Error("no such email yet");
        },
        { timeout, interval: 50 },
      );
    },
    async stop() {
      await product.stop();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A running product for tests. */
export type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;

/** The smallest real PDF: enough for the type check from the bytes (FILE-1). */
export const tinyPdf = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/**
 * Shares a file as the browser does (FILE-1): asks for a presigned upload, PUTs the bytes straight
 * to object storage with every header it was given, then confirms. Returns the file's id and the
 * confirmed message (or the refusal of the confirmation).
 */
export async function shareFile(
  browser: ProductBrowser,
  conversationId: string,
  file: { name: string; bytes: Buffer; contentType: string; clientId: string },
) {
  const request = await browser.trpc.files.requestUpload.mutate({
    conversationId,
    clientId: file.clientId,
    fileName: file.name,
    sizeBytes: file.bytes.length,
    contentType: file.contentType,
  });
  const put = await browser.fetch(request.upload.url, {
    method: request.upload.method,
    headers: request.upload.headers,
    body: new Uint8Array(file.bytes),
  });
  if (!put.ok) throw new Error(`the upload was refused: ${put.status}`);
  return {
    fileId: request.fileId,
    /** Confirms, expecting the file shared at once (no malware scanner in this product). */
    confirm: async () => {
      const confirmed = await browser.trpc.files.confirmUpload.mutate({ fileId: request.fileId });
      if (confirmed.state !== "shared") throw new Error(`the upload is ${confirmed.state}, not shared`);
      return confirmed.message;
    },
  };
}
