import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { afterEach, describe, expect, it } from "vitest";
import type { AppRouter } from "../src/router";
import { appOrigin, startTestApi, type TestApi } from "./support/api";
import { sessionHeaders } from "./support/sessions";
import { phi, phiMarkers } from "./support/world";

let api: TestApi | null = null;
let tempDir: string | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
  tempDir = null;
});

async function started(opts: Parameters<typeof startTestApi>[0] = {}): Promise<TestApi> {
  api = await startTestApi(opts);
  return api;
}

/** A request with the path exactly as written (fetch would normalise `..` away). */
function rawRequest(url: string, path: string, method = "GET"): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function expectSecurityHeaders(response: Response, where: string): void {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp, where).toContain("default-src 'self'");
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(response.headers.get("x-content-type-options"), where).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), where).toBe("no-referrer");
  expect(response.headers.get("strict-transport-security"), where).toMatch(/^max-age=\d+/);
  expect(response.headers.get("x-request-id"), where).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
  expect(response.headers.get("access-control-allow-origin"), where).toBeNull();
}

describe("HTTP edge", () => {
  it("SEC-7: every response carries the security headers, and API answers are never cached", async () => {
    const { url, world } = await started();
    const staff = sessionHeaders(world.a.sessionOf(world.a.nurse));
    const responses: [string, Response, boolean][] = [
      ["health", await fetch(`${url}/health`), true],
      ["ready", await fetch(`${url}/ready`), true],
      ["query", await fetch(`${url}/trpc/clinic.entitlements`, { headers: staff }), true],
      ["unauthorized", await fetch(`${url}/trpc/clinic.entitlements`), true],
      ["forbidden origin", await fetch(`${url}/trpc/messages.send`, { method: "POST" }), true],
      ["unknown procedure", await fetch(`${url}/trpc/nope.nothing`, { headers: staff }), true],
      ["not found", await fetch(`${url}/nowhere`), true],
    ];
    for (const [where, response, api] of responses) {
      expectSecurityHeaders(response, where);
      if (api) expect(response.headers.get("cache-control"), where).toBe("no-store");
      await response.arrayBuffer();
    }
  });

  it("SEC-7: Strict-Transport-Security is sent only when served securely", async () => {
    const { url } = await started({ secure: false });
    const response = await fetch(`${url}/health`);
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("SEC-7: a state-changing request without an Origin, or from another one, is refused with 403 and changes nothing", async () => {
    const { world, memory, raw } = await started();
    const { a } = world;
    const doctor = a.sessionOf(a.doctor);
    const input = { patientId: a.patient.id };
    const before = memory.dump();
    const attempts: Record<string, string>[] = [
      {},
      { origin: "https://evil.test" },
      { origin: "null" },
      { origin: `${appOrigin}.evil.test` },
    ];
    for (const headers of attempts) {
      const { response, text } = await raw(
        "conversations.startWithPatient",
        "mutation",
        input,
        doctor,
        headers,
      );
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(text).not.toContain("conversation");
    }
    expect(memory.dump()).toEqual(before);
    const allowed = await raw("conversations.startWithPatient", "mutation", input, doctor);
    expect(allowed.response.status).toBe(200);
  });

  it("SEC-7: a query a browser marks as cross-site is refused; same-origin ones pass", async () => {
    const { url, world } = await started();
    const headers = sessionHeaders(world.a.sessionOf(world.a.nurse));
    const crossSite = await fetch(`${url}/trpc/clinic.entitlements`, {
      headers: { ...headers, "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    const sameOrigin = await fetch(`${url}/trpc/clinic.entitlements`, {
      headers: { ...headers, "sec-fetch-site": "same-origin" },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it("CORS is closed: preflights get no Access-Control headers", async () => {
    const { url } = await started();
    const preflight = (origin: string) =>
      fetch(`${url}/trpc/messages.send`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
    const foreign = await preflight("https://evil.test");
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const own = await preflight(appOrigin);
    expect(own.status).toBe(204);
    expect([...own.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it("X-Request-Id: a plain incoming id is kept, anything else replaced; logs carry it", async () => {
    const { url, logs } = await started();
    const kept = await fetch(`${url}/health`, { headers: { "x-request-id": "trace-1234abcd" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-1234abcd");
    const replaced = await fetch(`${url}/health`, {
      headers: { "x-request-id": `${phi.patientName} {"level":60}` },
    });
    const fresh = replaced.headers.get("x-request-id");
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.some((line) => JSON.parse(line).requestId === "trace-1234abcd")).toBe(true);
    expect(logs.join("")).not.toContain(phi.patientMarker);
  });

  it("SEC-5: access logs hold routes and status codes, never URLs with their query strings", async () => {
    const { url, logs, world } = await started();
    const staff = sessionHeaders(world.a.sessionOf(world.a.nurse));
    const input = encodeURIComponent(JSON.stringify({ conversationId: phi.patientName }));
    await (await fetch(`${url}/trpc/conversations.open?input=${input}`, { headers: staff })).arrayBuffer();
    await (await fetch(`${url}/${encodeURIComponent(phi.patientName)}?q=${phi.textMarker}`)).arrayBuffer();
    const entries = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((e) => e.msg === "request").map((e) => [e.route, e.status])).toEqual([
      ["trpc", 400],
      ["not_found", 404],
    ]);
    for (const line of logs) for (const marker of phiMarkers) expect(line).not.toContain(marker);
    for (const entry of entries) expect(entry).not.toHaveProperty("url");
  });

  it("batched calls work with the session and origin headers; an oversized batch is refused", async () => {
    const { url, world } = await started();
    const { a } = world;
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${url}/trpc`,
          headers: { ...sessionHeaders(a.sessionOf(a.doctor)), origin: appOrigin },
        }),
      ],
    });
    const [list, entitlements] = await Promise.all([
      client.conversations.list.query({ limit: 5 }),
      client.clinic.entitlements.query(),
    ]);
    expect(list.items).toEqual([]);
    expect(entitlements.plan).toBe("premium");
    const [started1, started2] = await Promise.all([
      client.conversations.startWithPatient.mutate({ patientId: a.patient.id }),
      client.conversations.startTeam.mutate({ staffIds: [a.nurse.id] }),
    ]);
    expect([started1.conversation.kind, started2.conversation.kind]).toEqual(["patient", "team"]);
    const paths = Array.from({ length: 21 }, () => "clinic.entitlements").join(",");
    const oversized = await fetch(`${url}/trpc/${paths}?batch=1&input={}`, {
      headers: sessionHeaders(a.sessionOf(a.doctor)),
    });
    expect(oversized.status).toBe(400);
    expect(await oversized.text()).not.toContain("stack");
  });

  it("an idle keep-alive connection outlives a client's idle timeout: the server is never the one to close it first", async () => {
    const { url } = await started();
    const { hostname, port } = new URL(url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets: unknown[] = [];
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const req = request({ hostname, port, path: "/health", agent }, (res) => {
          sockets.push(res.socket);
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      expect(await get()).toBe(200);
      // Longer than Node's default of 5 s, after which a request on the same connection races its close.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await get()).toBe(200);
      expect(sockets[1]).toBe(sockets[0]);
    } finally {
      agent.destroy();
    }
  }, 30_000);

  it("GET /health answers while the process lives; GET /ready asks the dependencies", async () => {
    let ready: boolean | Error = true;
    const { url } = await started({
      ready: async () => {
        if (ready instanceof Error) throw ready;
        return ready;
      },
    });
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: "ok" });
    const up = await fetch(`${url}/ready`);
    expect([up.status, await up.json()]).toEqual([200, { status: "ready" }]);
    ready = false;
    const down = await fetch(`${url}/ready`);
    expect([down.status, await down.json()]).toEqual([503, { status: "not ready" }]);
    ready = new Error("database unreachable");
    expect((await fetch(`${url}/ready`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });

  it("close() stops accepting connections and lets an in-flight request finish", async () => {
    const testApi = await started();
    const { a } = testApi.world;
    const held = testApi.uow.holdNext();
    const inFlight = testApi.clientAs(a.sessionOf(a.nurse)).conversations.list.query({ limit: 5 });
    await held.entered;
    let closed = false;
    const closing = testApi.http.close().then(() => {
      closed = true;
    });
    expect(testApi.http.server.listening).toBe(false);
    await expect(fetch(`${testApi.url}/health`)).rejects.toThrow();
    expect(closed).toBe(false); // still waiting for the request in flight
    held.release();
    expect(await inFlight).toMatchObject({ items: [], totalUnread: 0 });
    await closing;
    api = null; // already closed
  });
});

describe("static web app", () => {
  async function webApp(): Promise<string> {
    tempDir = await mkdtemp(join(tmpdir(), "clinic-chat-web-"));
    await mkdir(join(tempDir, "assets"));
    await writeFile(join(tempDir, "index.html"), "<!doctype html><title>Clinic Chat</title>");
    await writeFile(join(tempDir, "assets", "app.3f2a.js"), "console.log(1)");
    await writeFile(join(tempDir, ".env"), "SECRET=1");
    return tempDir;
  }

  it("serves files, falls back to index.html for app routes, and never leaves its directory", async () => {
    const { url } = await started({ staticDir: await webApp() });
    const index = await fetch(`${url}/`);
    expect([index.status, index.headers.get("content-type"), await index.text()]).toEqual([
      200,
      "text/html; charset=utf-8",
      "<!doctype html><title>Clinic Chat</title>",
    ]);
    expectSecurityHeaders(index, "index");
    const route = await fetch(`${url}/chat/conversations/123`);
    expect([route.status, await route.text()]).toEqual([200, "<!doctype html><title>Clinic Chat</title>"]);
    const asset = await fetch(`${url}/assets/app.3f2a.js`);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(await asset.text()).toBe("console.log(1)");
    expect((await fetch(`${url}/assets/missing.js`)).status).toBe(404);
    for (const path of [
      "/.env",
      "/../package.json",
      "/%2e%2e/package.json",
      "/assets/..%2f..%2fpackage.json",
    ]) {
      const response = await rawRequest(url, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain("SECRET");
    }
    const head = await fetch(`${url}/`, { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
    expect((await fetch(`${url}/health`)).status).toBe(200); // API routes win over the app
  });
});
