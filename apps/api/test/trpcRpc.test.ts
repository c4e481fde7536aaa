import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOrigin } from "./support/api";
import { type Case, cases, type Outcome, type World } from "./support/rpcCases";
import { accessLineOf, entriesOf, type RpcServer, sendRaw, startRpcServer } from "./support/rpcServer";
import { sessionHeaders } from "./support/sessions";
import { phi, phiMarkers } from "./support/world";

// tRPC's HTTP RPC protocol (https://trpc.io/docs/rpc) as the server speaks it, request by request:
// the status, the outcome of each call (its error code, or "ok"), the headers, and the log line of
// each refusal. How tRPC's own client links read it is in trpcClientLinks.test.ts.

const json = { "content-type": "application/json", origin: appOrigin };

let server: RpcServer;
beforeAll(async () => {
  server = await startRpcServer();
});
afterAll(async () => {
  await server?.http.close();
});

function bodyOf(c: Case, world: World): string | undefined {
  if (c.body === "PATIENT_INPUT") return JSON.stringify({ patientId: world.a.patient.id });
  if (c.body === "TEAM_INPUT") return JSON.stringify({ staffIds: [world.a.nurse.id] });
  return c.body;
}

interface Item {
  readonly result?: { readonly data: unknown };
  readonly error?: {
    readonly code: number;
    readonly message: string;
    readonly data: { readonly code: string; readonly httpStatus: number };
  };
}

const outcomeOf = (item: Item): Outcome =>
  item.error ? item.error.data.code : "result" in item ? "ok" : "neither";

describe("tRPC's HTTP RPC protocol over the server", () => {
  // One after the other: the mutations change the world in order.
  cases.forEach((c, n) => {
    it(`${n + 1}. ${c.name}`, async () => {
      const requestId = `case-${String(n + 1).padStart(4, "0")}`;
      c.arrange?.(server);
      const session = c.as?.(server.world) ?? null;
      const headers = { ...sessionHeaders(session), ...c.headers, "x-request-id": requestId };
      const answer = await sendRaw(server.url, c.method ?? "GET", c.path, headers, bodyOf(c, server.world));
      await accessLineOf(server, requestId);

      expect(answer.status, "status").toBe(c.status);
      expect(answer.headers["x-request-id"]).toBe(requestId);
      for (const marker of phiMarkers) expect(answer.body).not.toContain(marker);
      if (c.rpc === false) {
        expect(answer.headers["content-length"]).toBeUndefined();
        return;
      }
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(answer.headers["content-type"]).toBe("application/json");
      expect(answer.headers.vary).toBe("trpc-accept, accept");
      expect(answer.headers["content-length"]).toBe(String(Buffer.byteLength(answer.body)));
      const parsed = JSON.parse(answer.body) as Item | Item[];
      const outcome = Array.isArray(parsed) ? parsed.map(outcomeOf) : outcomeOf(parsed);
      expect(outcome, "outcome").toEqual(c.outcome);
      for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
        if (!item.error) continue;
        // The error envelope: JSON-RPC code, the app's sentence, and the status of that code alone.
        expect(item.error.code).toBeLessThan(0);
        expect(item.error.message).toEqual(expect.any(String));
        expect(item.error.data.httpStatus).toBeGreaterThanOrEqual(400);
      }
      const errors = (Array.isArray(c.outcome) ? c.outcome : [c.outcome]).filter((o) => o !== "ok");
      const logged = entriesOf(server, requestId)
        .filter((e) => e.msg === "procedure refused" || e.msg === "procedure failed")
        .map((e) => e.code);
      expect(new Set(logged), "refusals logged").toEqual(new Set(errors));
    });
  });

  it("mutations that sign in or out set the session cookie", async () => {
    const signIn = JSON.stringify({ audience: "staff", email: "a@clinic.test", password: "right password" });
    for (const path of ["/trpc/auth.signIn", "/trpc/auth.signOut"]) {
      const answer = await sendRaw(server.url, "POST", path, json, path.endsWith("signIn") ? signIn : "{}");
      expect(answer.status).toBe(200);
      expect(String(answer.headers["set-cookie"])).toMatch(/HttpOnly/i);
    }
  });

  it("SEC-5: only the router's own procedure names are logged; a path that names none is the caller's text", async () => {
    const requestId = "names-0001";
    const batchId = "names-0002";
    await sendRaw(server.url, "GET", `/trpc/${phi.patientMarker}.list`, { "x-request-id": requestId });
    await accessLineOf(server, requestId);
    await sendRaw(server.url, "GET", `/trpc/clinic.entitlements,${phi.patientMarker}?batch=1`, {
      "x-request-id": batchId,
    });
    await accessLineOf(server, batchId);
    const lines = server.logs.filter((line) => line.includes(requestId) || line.includes(batchId));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line).not.toContain(phi.patientMarker);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((e) => e.msg === "procedure refused").map((e) => e.procedure)).toContain(
      "clinic.entitlements",
    );
  });

  it("refusals are logged with the domain's code", () => {
    const all = server.logs.join("\n");
    expect(all).toContain('"domainCode":"FORBIDDEN"');
    expect(all).toContain('"domainCode":"SIGN_IN_FAILED"');
  });
});
