import { connectPostgres } from "@clinic-chat/adapters";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logging";
import { databaseIsEmpty, demoPassword, provisionDemoSignIns, seedDemo } from "./seed/demoSeed";
import { startProduct } from "./start/startProduct";
import { startTracing } from "./tracing/startTracing";

/**
 * The composition root: configuration → adapters → use cases → router → server. `npm start` runs
 * this file; with no environment at all it starts everything embedded under `.data/`.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  // Before the product starts, so its pool and server are traced (OPS-4); nothing is loaded without it.
  const tracing = config.otlpEndpoint ? await startTracing(config.otlpEndpoint) : null;
  const product = await startProduct(config, {
    logger,
    beforeListen: async ({ ownerUrl, domain, auth, dataDir }) => {
      if (!config.demoSeed) return;
      const owner = connectPostgres(ownerUrl, { max: 1 });
      try {
        if (!(await databaseIsEmpty(owner))) return;
        const seed = await seedDemo({ uow: domain.uow, ids: domain.ids, db: owner, now: domain.clock.now() });
        await provisionDemoSignIns(seed, { auth, dataDir, nodeEnv: config.nodeEnv });
        logger.info({ clinics: seed.clinics.length }, "demo data created on the empty database");
        process.stdout.write(demoSignInsText(seed.signIns));
      } finally {
        await owner.destroy();
      }
    },
  });
  // The address to open is PUBLIC_URL: the only origin allowed to sign in and send (SEC-7).
  if (product.url)
    process.stdout.write(`\nClinic Chat is running at ${config.publicUrl} (listening on ${product.url})\n\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    product
      .stop()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

function demoSignInsText(
  signIns: readonly { clinic: string; kind: string; role: string; email: string }[],
): string {
  const rows = signIns.map(
    (s) =>
      `  ${s.kind === "staff" ? "/staff " : "/portal"}  ${s.email.padEnd(38)} ${s.role.padEnd(13)} ${s.clinic}`,
  );
  return [
    "",
    `Demo sign-ins (password for all: ${demoPassword}):`,
    ...rows,
    "Staff sign in with a TOTP code: npm run totp -- <email>",
    "",
  ].join("\n");
}

await main();
