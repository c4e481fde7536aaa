import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "@clinic-chat/adapters/embedded";
import postgres from "postgres";
import { type BenchClinic, seedBenchClinic } from "../../../bench/seed";
import { loadConfig } from "../../../src/config";
import { createLogger } from "../../../src/logging";
import { startProduct } from "../../../src/start/startProduct";
import { ApiClient, signIn } from "./apiClient";
import type { Namespace } from "./network";
import {
  type FaultMail,
  type FaultStorage,
  startFaultMail,
  startFaultPostgres,
  startFaultStorage,
} from "./servers";

// OPS-5's fault tests run the product as `npm start` runs it (src/main.ts, configured from the
// environment) in child processes that can be killed, on servers of the test's own: an embedded
// PostgreSQL that can be restarted, s3rver and an SMTP server that can be stopped.

const keyFile = join("secrets", "key-encryption-keys.json");
const apiRoot = resolve(import.meta.dirname, "../../..");
export const publicUrl = "https://clinic.faults.test";
export const origin = new URL(publicUrl).origin;

/** One API process (or worker) of the cluster. */
export interface ApiProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: no shutdown at all, as a crash or the OOM killer. */
  kill(): Promise<void>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Polls `check` until it holds, bounded by `ms`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-3000);
  } catch {
    return "(no log)";
  }
}

export async function startFaultCluster(options: {
  pairs: number;
  mailDelaySeconds?: number;
  /** How long the SMTP server takes to accept each email. */
  mailAcceptMs?: number;
}) {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-faults-"));
  const pg = await startFaultPostgres(root);
  const storage: FaultStorage = await startFaultStorage(root, origin);
  const mail: FaultMail = await startFaultMail(options.mailAcceptMs ?? 0);
  const appPassword = randomBytes(18).toString("base64url");
  const env: Record<string, string> = {
    DATABASE_URL: pg.ownerUrl,
    DATABASE_APP_PASSWORD: appPassword,
    S3_ENDPOINT: storage.endpoint,
    S3_BUCKET: storage.bucket,
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    SMTP_URL: mail.url,
    PUBLIC_URL: publicUrl,
    NODE_ENV: "production",
    DEMO_SEED: "never",
    LOG_LEVEL: "warn",
    MALWARE_SCANNING: "off",
  };
  const inspect = postgres(pg.ownerUrl, { max: 2, onnotice: () => undefined });
  const children = new Set<ChildProcess>();

  // Seeding: the product in this process, only to reach the domain and sign-in provisioning.
  const seeding = await startProduct(
    loadConfig({ ...env, DATA_DIR: join(root, "seed"), PORT: "0", NOTIFICATION_WORKER: "off" }),
    {
      logger: createLogger({ level: "error" }),
      appPassword,
      // Cheap hashes for the seed only: a hash carries its own cost, sign-in checks it as stored.
      passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    },
  );
  const clinic: BenchClinic = await seedBenchClinic(seeding, { pairs: options.pairs, broadcast: 1 }).finally(
    () => seeding.stop(),
  );
  if (options.mailDelaySeconds !== undefined)
    await inspect`update clinics set notification_delay_seconds = ${options.mailDelaySeconds}`;

  /**
   * Starts src/main.ts (or `script`, with `extraEnv` besides the cluster's) in a child process and,
   * unless it is a worker only, waits until /health answers.
   */
  async function startApi(
    name: string,
    worker: "inline" | "off" | "only" = "off",
    {
      script = "src/main.ts",
      extraEnv = {},
      namespace,
    }: {
      script?: string;
      extraEnv?: Record<string, string>;
      /** Runs it in this network namespace (`ip netns exec`), listening on its address there. */
      namespace?: Namespace;
    } = {},
  ): Promise<ApiProcess> {
    const port = await freePort();
    // The processes of one deployment share its record keys (REC-1): the seed's key file, owner-only.
    await mkdir(join(root, name, "secrets"), { recursive: true, mode: 0o700 });
    await copyFile(join(root, "seed", keyFile), join(root, name, keyFile));
    const logFile = join(root, `${name}.log`);
    const fd = openSync(logFile, "a");
    const host = namespace?.address ?? "127.0.0.1";
    const nodeArgs = ["--conditions=@clinic-chat/source", "--import", "tsx"];
    let child: ChildProcess;
    try {
      child = fork(join(apiRoot, script), [], {
        cwd: apiRoot,
        // `ip netns exec` enters the namespace and then becomes node itself (same pid, same IPC).
        ...(namespace
          ? { execPath: "ip", execArgv: ["netns", "exec", namespace.name, process.execPath, ...nodeArgs] }
          : { execArgv: nodeArgs }),
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          ...env,
          PORT: String(port),
          HOST: host,
          DATA_DIR: join(root, name),
          NOTIFICATION_WORKER: worker,
          ...extraEnv,
        },
        stdio: ["ignore", fd, fd, "ipc"],
      });
    } finally {
      closeSync(fd);
    }
    children.add(child);
    const url = `http://${host}:${port}`;
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const kill = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      children.delete(child);
    };
    if (worker !== "only")
      await waitUntil(
        `${name} answers /health`,
        async () => {
          if (child.exitCode !== null) throw new Error(`${name} exited: ${tail(logFile)}`);
          return fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
            (answer) => answer.ok,
            () => false,
          );
        },
        // Generous: a loaded machine takes minutes to load the sources of three processes at once.
        240_000,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}: ${tail(logFile)}`);
      });
    return { name, url, child, kill };
  }

  /**
   * Starts a worker of its own process (support/workerProcess.ts: notifications and scheduled
   * messages) whose jobs expire after `expireSeconds`, and resolves once it works its queues.
   */
  async function startWorker(name: string, expireSeconds: number): Promise<ApiProcess> {
    const worker = await startApi(name, "only", {
      script: "test/faults/support/workerProcess.ts",
      extraEnv: { WORKER_EXPIRE_SECONDS: String(expireSeconds) },
    });
    await new Promise<void>((resolve, reject) => {
      worker.child.on("message", (message) => {
        if (message === "working") resolve();
      });
      worker.child.once("exit", (code) =>
        reject(new Error(`${name} exited (${code}): ${tail(join(root, `${name}.log`))}`)),
      );
    });
    return worker;
  }

  return {
    root,
    appPassword,
    pg,
    storage,
    mail,
    clinic,
    inspect,
    startApi,
    startWorker,
    /** A signed-in client of `person` talking to `url`. */
    async client(url: string, person: BenchClinic["pairs"][number]["patient"]): Promise<ApiClient> {
      return new ApiClient(url, await signIn(url, person, origin), origin);
    },
    logOf: (name: string) => tail(join(root, `${name}.log`)),
    /** Notification jobs still to run: waiting, retrying or running. */
    async unfinishedNotificationJobs(): Promise<number> {
      const [row] = await inspect<{ n: string }[]>`
        select count(*)::text as n from pgboss.job
        where name = 'clinic-chat.notification-timer' and state in ('created', 'retry', 'active')`;
      return Number(row!.n);
    },
    /** The messages the clinic's conversations hold. */
    async storedMessages(): Promise<number> {
      const [row] = await inspect<{ n: string }[]>`
        select count(*)::text as n from messages where clinic_id = ${clinic.clinicId}`;
      return Number(row!.n);
    },
    /**
     * The clinic's email deliveries as recorded, against what the mail server received: each recorded
     * delivery must have arrived once (NOTIF-1), so any more to an address is duplicated, any fewer lost.
     */
    async emailDeliveries() {
      const deliveries = await inspect<{ to_address: string; delivered: boolean }[]>`
        select to_address, delivered_at is not null as delivered from notification_deliveries
        where clinic_id = ${clinic.clinicId} and channel = 'email'`;
      const expected = new Map<string, number>();
      for (const d of deliveries) expected.set(d.to_address, (expected.get(d.to_address) ?? 0) + 1);
      let duplicated = 0;
      let lost = 0;
      for (const [email, n] of expected) {
        const got = mail.received.get(email) ?? 0;
        duplicated += Math.max(0, got - n);
        lost += Math.max(0, n - got);
      }
      return {
        recorded: deliveries.length,
        allDelivered: deliveries.every((d) => d.delivered),
        addresses: [...expected.keys()].sort(),
        duplicated,
        lost,
      };
    },
    async close() {
      for (const child of children) child.kill("SIGKILL");
      await inspect.end({ timeout: 1 });
      await pg.stop().catch(() => undefined);
      await storage.stop().catch(() => undefined);
      await mail.stop().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

export type FaultCluster = Awaited<ReturnType<typeof startFaultCluster>>;

/** The line every fault test prints (OPS-5). */
export function faultLine(
  name: string,
  counts: { acknowledged: number; stored: number; duplicated: number; lost: number },
) {
  const line = `${name}: acknowledged ${counts.acknowledged}, stored ${counts.stored}, duplicated ${counts.duplicated}, lost ${counts.lost}`;
  process.stdout.write(`${line}\n`);
  return line;
}
