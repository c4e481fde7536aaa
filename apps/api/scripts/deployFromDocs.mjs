// The deployment proof of issue 22: from a fresh clone, following only docs/deploying.md, two API
// processes and one notification worker run in production mode on Debian's PostgreSQL (standing in
// for a managed one: the owner the doc's SQL creates is not a superuser), with s3rver and
// smtp-server on loopback as "S3" and "SMTP" and a TLS proxy as the load balancer; then the browser
// tests that start on an empty database run against that deployment (E2E_BASE_URL).
//
//   node apps/api/scripts/deployFromDocs.mjs [--keep]     (root: it runs PostgreSQL as `postgres`)
//
// Not part of CI: it installs and builds a whole clone. --keep leaves the folder for inspection.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer, request as httpsRequest } from "node:https";
import { createRequire } from "node:module";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const keep = process.argv.includes("--keep");
const repo = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: import.meta.dirname })
  .toString()
  .trim();
const work = join(tmpdir(), `clinic-chat-deploy-${Date.now()}`);
mkdirSync(work, { recursive: true });
chmodSync(work, 0o711);
const clone = join(work, "clinic-chat");
const children = [];
const closers = [];
const step = (what) => console.log(`\n== ${what}`);
const run = (command, args, options = {}) =>
  execFileSync(command, args, { stdio: "inherit", ...options, env: { ...process.env, ...options.env } });

function freePort() {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function cleanUp() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 2_000));
  for (const close of closers.reverse()) await close().catch(() => undefined);
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}

let outcome = 1;
try {
  step("a fresh clone, built as the doc says: npm ci && npm run build");
  run("git", ["clone", "--quiet", repo, clone]);
  run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: clone });
  run("npm", ["run", "build"], { cwd: clone });
  const doc = readFileSync(join(clone, "docs/deploying.md"), "utf8");
  const need = createRequire(join(clone, "package.json"));
  const postgres = need("postgres");

  step("PostgreSQL: Debian's server, its superuser standing for the provider's admin user");
  const pgRoot = "/usr/lib/postgresql";
  const version = readdirSync(pgRoot)
    .filter((v) => existsSync(join(pgRoot, v, "bin/pg_ctl")))
    .sort()
    .at(-1);
  if (!version) throw new Error("apt-get install postgresql first");
  const bin = join(pgRoot, version, "bin");
  const pgDir = join(work, "postgres");
  mkdirSync(pgDir);
  const superPassword = randomBytes(12).toString("hex");
  writeFileSync(join(work, "pw"), superPassword, { mode: 0o600 });
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
  chownSync(pgDir, uid, gid);
  chownSync(join(work, "pw"), uid, gid);
  const asPostgres = (tool, args) => run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args]);
  asPostgres("initdb", [
    "-D",
    pgDir,
    "-U",
    "postgres",
    "--auth=scram-sha-256",
    `--pwfile=${join(work, "pw")}`,
  ]);
  const pgPort = await freePort();
  asPostgres("pg_ctl", [
    "-D",
    pgDir,
    "-w",
    "-l",
    join(pgDir, "log"),
    "-o",
    `-p ${pgPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${pgDir}`,
    "start",
  ]);
  closers.push(async () => asPostgres("pg_ctl", ["-D", pgDir, "-m", "fast", "stop"]));
  const superUrl = `postgres://postgres:${superPassword}@127.0.0.1:${pgPort}/postgres`;

  step("the owner and its database, with the doc's SQL as written");
  const ownerPassword = randomBytes(12).toString("hex");
  const block = /```sql\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/deploying.md has no SQL block creating the owner");
  const admin = postgres(superUrl, { max: 1, onnotice: () => undefined });
  for (const statement of block
    .split(";")
    .map((s) => s.replace(/--.*$/gm, "").trim())
    .filter(Boolean)) {
    const sql = statement.replace("'…'", `'${ownerPassword}'`);
    console.log(`  ${statement}`);
    await admin.unsafe(sql);
  }
  const [owner] = await admin`select rolsuper, rolbypassrls from pg_roles where rolname = 'clinic_owner'`;
  await admin.end();
  if (!owner || owner.rolsuper || owner.rolbypassrls)
    throw new Error("the owner must exist, without SUPERUSER or BYPASSRLS");
  const databaseUrl = `postgres://clinic_owner:${ownerPassword}@127.0.0.1:${pgPort}/clinic_chat`;

  step('"S3" (s3rver) and "SMTP" (smtp-server, saving each message as .eml) on loopback');
  const S3rver = need("s3rver");
  const s3Port = await freePort();
  const s3 = new S3rver({ port: s3Port, address: "127.0.0.1", silent: true, directory: join(work, "s3") });
  await s3.run();
  closers.push(() => s3.close());
  const mailRoot = join(work, "mailbox");
  mkdirSync(join(mailRoot, "mail"), { recursive: true });
  const { SMTPServer } = need("smtp-server");
  let mails = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, done) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", () => {
        const name = `${String(Date.now()).padStart(15, "0")}-${String(++mails).padStart(5, "0")}.eml`;
        writeFileSync(join(mailRoot, "mail", name), Buffer.concat(chunks));
        done();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise((r) => smtp.listen(smtpPort, "127.0.0.1", r));
  closers.push(() => new Promise((r) => smtp.close(r)));

  step("the load balancer: TLS on loopback, no stickiness, streams not buffered");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-keyout",
      join(work, "tls.key"),
      "-out",
      join(work, "tls.crt"),
    ],
    { stdio: "ignore" },
  );
  const apiPorts = [await freePort(), await freePort()];
  let next = 0;
  const balancer = createHttpsServer(
    { key: readFileSync(join(work, "tls.key")), cert: readFileSync(join(work, "tls.crt")) },
    (req, res) => {
      const port = apiPorts[next++ % apiPorts.length];
      const headers = {
        ...req.headers,
        "x-forwarded-for": req.socket.remoteAddress,
        "x-forwarded-proto": "https",
      };
      const upstream = httpRequest(
        { host: "127.0.0.1", port, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
      res.on("close", () => upstream.destroy());
      req.pipe(upstream);
    },
  );
  const publicPort = await freePort();
  await new Promise((r) => balancer.listen(publicPort, "127.0.0.1", r));
  closers.push(() => new Promise((r) => balancer.close(r)));
  const publicUrl = `https://localhost:${publicPort}`;

  step("two API processes and one worker, as the systemd units run them, sharing the first one's key file");
  const env = {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    DATABASE_APP_PASSWORD: randomBytes(18).toString("base64url"),
    S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    S3_BUCKET: "clinic-chat",
    S3_REGION: "us-east-1",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    MAIL_FROM: "Clinic Chat <no-reply@clinic.example>",
    PUBLIC_URL: publicUrl,
    TRUSTED_PROXIES: "loopback",
    MALWARE_SCANNING: "off",
    LOG_LEVEL: "warn",
  };
  const start = (name, extra) => {
    const dataDir = join(work, `state-${name}`);
    const child = spawn("node", ["--max-semi-space-size=8", "dist/main.js"], {
      cwd: join(clone, "apps/api"),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, DATA_DIR: dataDir, ...extra },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("exit", (code, signal) => console.log(`  ${name} exited (${code ?? signal})`));
    children.push(child);
  };
  start("api-1", { PORT: String(apiPorts[0]), HOST: "127.0.0.1", NOTIFICATION_WORKER: "off" });
  // docs/deploying.md, "Record keys": every process of a deployment uses the same key file, made
  // by the first process's first start and copied, owner-only, to the others before they start.
  const keyFile = join("secrets", "key-encryption-keys.json");
  const keyDeadline = Date.now() + 120_000;
  while (!existsSync(join(work, "state-api-1", keyFile))) {
    if (Date.now() > keyDeadline) throw new Error("api-1 made no key file within 2 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const name of ["api-2", "worker"]) {
    mkdirSync(join(work, `state-${name}`, "secrets"), { recursive: true, mode: 0o700 });
    copyFileSync(join(work, "state-api-1", keyFile), join(work, `state-${name}`, keyFile));
    chmodSync(join(work, `state-${name}`, keyFile), 0o600);
  }
  start("api-2", { PORT: String(apiPorts[1]), HOST: "127.0.0.1", NOTIFICATION_WORKER: "off" });
  start("worker", { NOTIFICATION_WORKER: "only" });

  const ready = () =>
    new Promise((done) => {
      const req = httpsRequest(`${publicUrl}/ready`, { rejectUnauthorized: false }, (res) => {
        res.resume();
        done(res.statusCode === 200);
      });
      req.on("error", () => done(false));
      req.end();
    });
  const deadline = Date.now() + 180_000;
  let readyTwice = false;
  while (!readyTwice && Date.now() < deadline) {
    if (children.some((c) => c.exitCode !== null)) throw new Error("a process of the deployment stopped");
    // Two answers in a row: the balancer alternates, so both API processes answered.
    readyTwice = (await ready()) && (await ready());
    if (!readyTwice) await new Promise((r) => setTimeout(r, 1_000));
  }
  if (!readyTwice) throw new Error("the deployment was not ready within 3 minutes");
  console.log(`  ready at ${publicUrl}`);

  step("the browser tests that start on an empty database, against the deployment");
  // The same assertions with longer waits than the file's own: every request crosses the TLS
  // balancer and may land on the other process, on a machine that may be running other work, so a
  // switch's refetch after its change can take longer than expect.poll's default second.
  const e2eArgs = ["--expect.poll.timeout=20000", "--testTimeout=300000"];
  const e2e = spawn(
    "npx",
    ["vitest", "run", "-c", "vitest.e2e.config.ts", ...e2eArgs, "e2e/firstDay.e2e.ts"],
    {
      cwd: join(clone, "apps/web"),
      stdio: "inherit",
      env: {
        ...process.env,
        E2E_BASE_URL: publicUrl,
        E2E_DATA_DIR: mailRoot,
        E2E_DATABASE_URL: databaseUrl,
        E2E_INSPECT_URL: superUrl.replace(/\/postgres$/, "/clinic_chat"),
        E2E_IGNORE_CERTIFICATE_ERRORS: "1",
        // The operator command (ADMIN-1) runs as the operator would, with the deployment's settings.
        DATABASE_APP_PASSWORD: env.DATABASE_APP_PASSWORD,
      },
    },
  );
  outcome = await new Promise((r) => e2e.on("exit", (code) => r(code ?? 1)));
  console.log(
    `\nbrowser tests against the deployment: ${outcome === 0 ? "passed" : "FAILED"}; emails sent: ${mails}`,
  );
} catch (error) {
  console.error(`\ndeployment from the docs failed: ${error instanceof Error ? error.message : error}`);
} finally {
  await cleanUp();
}
process.exit(outcome);
