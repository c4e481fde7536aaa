import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { startEmbeddedPostgres } from "@clinic-chat/adapters/embedded";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logging";
import { type RunningProduct, startProduct } from "../src/start/startProduct";
import { type Child, publicUrl, startApi } from "./benchProcesses";
import { type BenchClinic, seedBenchClinic } from "./seed";

// The deployment the API benches measure: one embedded PostgreSQL 18 (durable settings, as the
// product's own) under a temporary folder, the bench clinic seeded through the domain, and two API
// processes (A and B) running as `npm start` runs them (NODE_ENV=production), with the notification
// worker inside A or in a process of its own. Every process shares the key-encryption key of the
// seeding product: what one seals, the others open.

export type EmbeddedPostgres = Awaited<ReturnType<typeof startEmbeddedPostgres>>;

export interface BenchDeployment {
  readonly database: EmbeddedPostgres;
  /** The owner's URL, through the Unix socket where there is one (as the product connects). */
  readonly ownerUrl: string;
  readonly appPassword: string;
  readonly clinic: BenchClinic;
  readonly a: Child;
  readonly b: Child;
  /** The notification worker's own process (`worker: "process"`), else null. */
  readonly worker: Child | null;
  readonly seedSeconds: number;
  readonly startSeconds: number;
}

export async function startBenchDeployment(options: {
  readonly root: string;
  /** Every child process started is pushed here at once, so the caller stops them whatever happens. */
  readonly children: ChildProcess[];
  /** Called with the database as soon as it runs, so the caller stops it whatever happens. */
  readonly onDatabase: (database: EmbeddedPostgres) => void;
  readonly logLevel: string;
  readonly pairs: number;
  readonly broadcast: number;
  /** "inline": A runs the notification worker; "process": a third process runs only the worker. */
  readonly worker: "inline" | "process";
  readonly postgresSettings?: Record<string, string>;
  /** Extra environment of the product processes. */
  readonly env?: Record<string, string>;
  /** Node flags of API process `name`, after the product's own. */
  readonly nodeArgs?: (name: string) => readonly string[];
  /** More seeding with the seeding product, before the processes start. */
  readonly afterSeed?: (seeding: RunningProduct, clinic: BenchClinic, ownerUrl: string) => Promise<void>;
}): Promise<BenchDeployment> {
  const { root } = options;
  const database = await startEmbeddedPostgres({
    directory: join(root, "postgres"),
    ...(options.postgresSettings ? { settings: options.postgresSettings } : {}),
  });
  options.onDatabase(database);
  const ownerUrl = database.ownerSocketUrl ?? database.ownerUrl;
  const appPassword = randomBytes(18).toString("base64url");
  const env = {
    DATABASE_URL: ownerUrl,
    DATABASE_APP_PASSWORD: appPassword,
    PUBLIC_URL: publicUrl,
    NODE_ENV: "production",
    DEMO_SEED: "never",
    LOG_LEVEL: options.logLevel,
    // The figures measure chat, whose messages are never scanned; uploads are not part of them.
    MALWARE_SCANNING: "off",
    // Production refuses the embedded storage and mail unless told so (OPS-1); the bench has no others.
    EMBEDDED: "storage,mail",
    ...options.env,
  };

  // Seeding: the product in this process, only to reach the domain and sign-in provisioning. It
  // uses process A's data folder, so A finds the objects of the files it shares in its storage.
  let started = performance.now();
  const seeding = await startProduct(
    loadConfig({ ...env, DATA_DIR: join(root, "api-a"), PORT: "0", NOTIFICATION_WORKER: "off" }),
    {
      logger: createLogger({ level: "warn" }),
      appPassword,
      // Cheap hashes for the seed only: a hash carries its own cost, sign-in checks it as stored.
      passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    },
  );
  let clinic: BenchClinic;
  try {
    clinic = await seedBenchClinic(seeding, { pairs: options.pairs, broadcast: options.broadcast });
    await options.afterSeed?.(seeding, clinic, ownerUrl);
  } finally {
    await seeding.stop();
  }
  const others = options.worker === "process" ? ["api-b", "worker"] : ["api-b"];
  for (const name of others)
    await cp(join(root, "api-a", "secrets"), join(root, name, "secrets"), { recursive: true });
  const seedSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const start = async (name: string, extra: Record<string, string>, metrics = false) => {
    const child = await startApi(
      name,
      root,
      { ...env, ...extra },
      {
        nodeArgs: options.nodeArgs?.(name) ?? [],
        metrics,
      },
    );
    options.children.push(child.process);
    return child;
  };
  const a = await start("api-a", { NOTIFICATION_WORKER: options.worker === "inline" ? "inline" : "off" });
  const b = await start("api-b", { NOTIFICATION_WORKER: "off" });
  const worker =
    options.worker === "process" ? await start("worker", { NOTIFICATION_WORKER: "only" }, true) : null;
  return {
    database,
    ownerUrl,
    appPassword,
    clinic,
    a,
    b,
    worker,
    seedSeconds,
    startSeconds: (performance.now() - started) / 1000,
  };
}
