import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, socketAddress } from "../src/http/requestMeta";
import { type AuthApi, failure, password, startAuthApi } from "./support/authApi";

// Where a request came from is part of the audit trail (SEC-3) and keys the per-address sign-in
// limit (SEC-1). Behind a reverse proxy the socket's peer is the proxy, so every person would
// share its address: TRUSTED_PROXIES names the proxies whose X-Forwarded-For is believed, and
// nobody else's.

function request(peer: string | undefined, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  } as unknown as IncomingMessage;
}

describe("the client's address (SEC-1, SEC-3)", () => {
  it("SEC-3: without trusted proxies, the socket's peer, whatever the headers say", () => {
    const address = clientAddress([]);
    expect(address).toBe(socketAddress);
    expect(address(request("198.51.100.4", "203.0.113.9"))).toBe("198.51.100.4");
    expect(address(request(undefined))).toBeNull();
  });

  it("SEC-3: behind trusted proxies, the nearest address that is not one of them", () => {
    const address = clientAddress(["loopback", "10.0.0.0/8"]);
    // Client → edge proxy 10.1.2.3 → local proxy 127.0.0.1 → us.
    expect(address(request("127.0.0.1", "203.0.113.9, 10.1.2.3"))).toBe("203.0.113.9");
    // A client that writes its own header cannot hide behind it: read from the right, the first
    // untrusted hop is the one the edge proxy saw.
    expect(address(request("127.0.0.1", "192.0.2.66, 203.0.113.9, 10.1.2.3"))).toBe("203.0.113.9");
    // Only the trusted hops count: a proxy we do not trust is the client as far as we know.
    expect(address(request("127.0.0.1", "203.0.113.9, 198.51.100.7"))).toBe("198.51.100.7");
    // A request straight from the internet is its peer, even with a forged header.
    expect(address(request("198.51.100.4", "10.9.9.9"))).toBe("198.51.100.4");
    // From a trusted proxy without the header: the proxy itself.
    expect(address(request("127.0.0.1"))).toBe("127.0.0.1");
    expect(address(request(undefined, "203.0.113.9"))).toBeNull();
  });

  it("refuses an entry that is no address or range", () => {
    expect(() => clientAddress(["proxy.internal"])).toThrow();
  });
});

describe("behind a trusted reverse proxy, over HTTP (SEC-1, SEC-3)", () => {
  let api: AuthApi;
  beforeAll(async () => {
    api = await startAuthApi({ clientAddress: clientAddress(["loopback"]) });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("SEC-3: the audit record of a sign-in carries the client's address the proxy reported", async () => {
    const { a } = api.world;
    await api
      .browser({ "x-forwarded-for": "203.0.113.25" })
      .trpc.auth.signIn.mutate({ audience: "patient", email: a.patient.email!, password });
    const rows = await api.owner
      .selectFrom("audit_log")
      .select(["ip", "outcome"])
      .where("action", "=", "auth.sign_in")
      .where("actor_id", "=", a.patient.id)
      .execute();
    expect(rows).toEqual([{ ip: "203.0.113.25", outcome: "success" }]);
  });

  it("SEC-1: the per-address limit counts each client behind the proxy apart", async () => {
    const { a } = api.world;
    const from = (ip: string) => api.browser({ "x-forwarded-for": ip });
    for (let i = 0; i < 20; i++)
      await failure(
        from("198.51.100.40").trpc.auth.signIn.mutate({
          audience: "patient",
          email: `guess${i}@mail.test`,
          password,
        }),
      );
    expect(
      await failure(
        from("198.51.100.40").trpc.auth.signIn.mutate({
          audience: "patient",
          email: a.patient.email!,
          password,
        }),
      ),
    ).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // Another client of the same proxy is not held up by the first one's failures.
    expect(
      await from("198.51.100.41").trpc.auth.signIn.mutate({
        audience: "patient",
        email: a.patient.email!,
        password,
      }),
    ).toMatchObject({ status: "signedIn" });
  });
});
