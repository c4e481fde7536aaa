import { type ChildProcess, fork } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "@clinic-chat/adapters/embedded";
import { totpCode } from "../src/auth/totp";
import { type Answer, call, keepAliveAgent } from "./load";
import type { MemoryReport } from "./probe";
import { type BenchSignIn, benchPassword } from "./seed";

// The API benches' building blocks: the product's processes as children of the bench (started as
// `npm start` starts them, probed over IPC for CPU and memory), and signing in through the API.

export const publicUrl = "https://clinic.bench.test";
export const origin = new URL(publicUrl).origin;
const apiRoot = resolve(import.meta.dirname, "..");

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly url: string;
  readonly logFile: string;
}

export function waitForMessage<T>(
  child: ChildProcess,
  accept: (message: unknown) => T | undefined,
  ms: number,
) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error("timed out waiting for a child process")), ms);
    const onMessage = (message: unknown) => {
      const value = accept(message);
      if (value !== undefined) finish(null, value);
    };
    const onExit = (code: number | null) => finish(new Error(`child process exited (${code})`));
    const finish = (error: Error | null, value?: T) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

export function forkTs(
  file: string,
  env: Record<string, string>,
  logFile: string,
  extraArgs: readonly string[] = [],
): ChildProcess {
  const fd = openSync(logFile, "a");
  try {
    return fork(resolve(import.meta.dirname, file), [], {
      cwd: apiRoot,
      execArgv: ["--conditions=@clinic-chat/source", "--import", "tsx", "--expose-gc", ...extraArgs],
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", fd, fd, "ipc"],
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * The V8 flags `npm start` runs the API with (its package.json start script), so the bench's API
 * processes run as the product does: `--max-semi-space-size=8` bounds the young generation, which
 * V8 otherwise grows to 64-128 MB under a burst of work (RSS the product never gives back).
 */
export const productNodeFlags: readonly string[] =
  (
    JSON.parse(readFileSync(join(apiRoot, "package.json"), "utf8")) as { scripts: { start: string } }
  ).scripts.start.match(/--max-[\w-]+=\d+/g) ?? [];

/**
 * Starts one product process (src/main.ts) and waits until it answers: an API process on a free
 * port (/health), or with `metrics` a process without HTTP API (a notification worker), whose
 * metrics listener then says it is up. `nodeArgs` go to node after the product's own V8 flags.
 */
export async function startApi(
  name: string,
  root: string,
  env: Record<string, string>,
  options: { readonly nodeArgs?: readonly string[]; readonly metrics?: boolean } = {},
): Promise<Child> {
  const port = await freePort();
  const logFile = join(root, `${name}.log`);
  const child = forkTs(
    "apiProcess.ts",
    {
      ...env,
      ...(options.metrics ? { METRICS_PORT: String(port) } : { PORT: String(port) }),
      DATA_DIR: join(root, name),
      HOST: "127.0.0.1",
    },
    logFile,
    [...productNodeFlags, ...(options.nodeArgs ?? [])],
  );
  const url = `http://127.0.0.1:${port}`;
  const agent = keepAliveAgent(1);
  // Generous: on a machine shared with other work, compiling the sources at start takes minutes.
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${tail(logFile)}`);
    const ok = await call(agent, new URL(options.metrics ? "/metrics" : "/health", url), {
      timeoutMs: 2_000,
    }).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${name} did not start: ${tail(logFile)}`);
    await sleep(250);
  }
  agent.destroy();
  return { name, process: child, url, logFile };
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-2000);
  } catch {
    return "(no log)";
  }
}

/** Stops a child with SIGTERM (its graceful shutdown), SIGKILL after 20 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

/**
 * CPU time (user + system, µs) of the PostgreSQL server so far: the postmaster and every process it
 * started, from /proc (Linux; clock ticks are 1/100 s there).
 */
export function postgresCpu(dataDirectory: string): number {
  const postmaster = Number(readFileSync(join(dataDirectory, "postmaster.pid"), "utf8").split("\n")[0]);
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the name: state, ppid, …; utime and stime are fields 14 and 15 of the whole line.
    if (Number(entry) === postmaster || Number(fields[1]) === postmaster)
      ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10_000;
}

export async function cpuOf(child: ChildProcess): Promise<number> {
  const answer = waitForMessage(
    child,
    (m) => ((m as { type?: string }).type === "cpu" ? (m as { micros: number }).micros : undefined),
    30_000,
  );
  child.send("cpu");
  return answer;
}

export async function memoryOf(child: ChildProcess): Promise<MemoryReport> {
  const answer = waitForMessage(
    child,
    (m) => ((m as { type?: string }).type === "memory" ? (m as MemoryReport) : undefined),
    30_000,
  );
  child.send("memory");
  return answer;
}

// ---------------------------------------------------------------------------------------------
// Signing in

function sessionCookieOf(answer: Answer): string {
  const setCookie = answer.headers["set-cookie"];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (answer.status !== 200 || !first) throw new Error(`sign-in failed: ${answer.status} ${answer.body}`);
  return first.split(";")[0]!;
}

/** Signs a person in through auth.signIn (password, and a TOTP code for staff); the Cookie header. */
export async function signIn(url: string, person: BenchSignIn): Promise<string> {
  const agent = keepAliveAgent(1);
  try {
    const answer = await call(agent, new URL("/trpc/auth.signIn", url), {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({
        audience: person.kind,
        email: person.email,
        password: benchPassword,
        ...(person.totpSecret ? { code: totpCode(person.totpSecret, new Date()) } : {}),
      }),
    });
    return sessionCookieOf(answer);
  } finally {
    agent.destroy();
  }
}

export async function signInAll(url: string, people: readonly BenchSignIn[]): Promise<string[]> {
  const cookies: string[] = [];
  // A few at a time: argon2id is meant to be slow.
  for (let i = 0; i < people.length; i += 4)
    cookies.push(...(await Promise.all(people.slice(i, i + 4).map((person) => signIn(url, person)))));
  return cookies;
}
