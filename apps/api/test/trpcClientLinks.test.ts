import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createTRPCClient,
  httpBatchLink,
  httpBatchStreamLink,
  httpLink,
  type TRPCClientError,
  type TRPCLink,
} from "@trpc/client";
import { type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ApiErrorData } from "../src/errors";
import { createTrpcRpc } from "../src/http/trpcRpc";
import type { AppRouter } from "../src/router";
import { type Context, createTRPCRouter, publicProcedure } from "../src/trpc";
import { appOrigin } from "./support/api";
import { maxBodyBytes, type RpcServer, startRpcServer } from "./support/rpcServer";
import { sessionHeaders } from "./support/sessions";

// tRPC's own client links against the real server: what the web app's client sees of every
// outcome. httpLink and httpBatchLink go through the server's JSON RPC; httpBatchStreamLink
// (JSONL) through tRPC's node adapter.

type AppClientError = TRPCClientError<AppRouter> & { data: ApiErrorData };
const uuid = "0b9f7c52-5d0e-4c43-9a4e-6f0c5c8d2a11";

let server: RpcServer;
beforeAll(async () => {
  server = await startRpcServer();
});
afterAll(async () => {
  await server?.http.close();
});

type LinkFactory = typeof httpLink | typeof httpBatchLink | typeof httpBatchStreamLink;
const linkKinds: readonly [string, LinkFactory][] = [
  ["httpLink", httpLink],
  ["httpBatchLink", httpBatchLink],
  ["httpBatchStreamLink", httpBatchStreamLink],
];

function clientOf(link: LinkFactory, who: "nurse" | "patient" | null) {
  const { a } = server.world;
  const session = who === null ? null : a.sessionOf(who === "nurse" ? a.nurse : a.patient);
  const headers = { ...sessionHeaders(session), origin: appOrigin };
  return createTRPCClient<AppRouter>({
    links: [link({ url: `${server.url}/trpc`, headers }) as TRPCLink<AppRouter>],
  });
}

/** The rejection of `promise`, which must fail. */
async function failureOf(promise: Promise<unknown>): Promise<AppClientError> {
  const settled = await Promise.allSettled([promise]);
  const [outcome] = settled;
  if (outcome?.status !== "rejected") throw new Error("expected a failure");
  return outcome.reason as AppClientError;
}

describe.each(linkKinds)("%s against the server", (_name, link) => {
  it("success: a query and a mutation return their typed results", async () => {
    const nurse = clientOf(link, "nurse");
    expect((await nurse.clinic.entitlements.query()).plan).toBe("premium");
    const { conversation } = await nurse.conversations.startTeam.mutate({
      staffIds: [server.world.a.doctor.id],
    });
    expect(conversation.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("SEC-1/SEC-5/SEC-6: each refusal arrives as a TRPCClientError of its code, status and sentence", async () => {
    const nurse = clientOf(link, "nurse");
    const unauthorized = await failureOf(clientOf(link, null).clinic.entitlements.query());
    expect(unauthorized.data).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
    expect(unauthorized.message).toBe("Your session has ended. Please sign in again.");

    const forbidden = await failureOf(clientOf(link, "patient").clinic.entitlements.query());
    expect(forbidden.data).toMatchObject({ code: "FORBIDDEN", httpStatus: 403, domainCode: "FORBIDDEN" });

    const missing = await failureOf(nurse.conversations.open.query({ conversationId: uuid }));
    expect(missing.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, domainCode: "NOT_FOUND" });

    // Bad input: the fields by path, never their values.
    const bad = await failureOf(nurse.conversations.list.query({ limit: 5000 }));
    expect(bad.data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400, fields: [{ path: "limit" }] });

    const tooLarge = await failureOf(
      clientOf(link, null).auth.signOut.mutate({ padding: "x".repeat(maxBodyBytes * 4) } as unknown as Record<
        string,
        never
      >),
    );
    expect(tooLarge.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", httpStatus: 413 });

    server.uow.failNext(new Error("connection reset"));
    const failed = await failureOf(nurse.conversations.list.query({ limit: 5 }));
    expect(failed.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500 });
    expect(failed.message).toBe("Something went wrong on our side. Please try again.");
  });

  it("an unknown procedure is NOT_FOUND, a mutation asked as a query METHOD_NOT_SUPPORTED", async () => {
    const untyped = clientOf(link, "nurse") as unknown as Record<
      string,
      Record<string, { query(): Promise<unknown> }>
    >;
    const unknown = await failureOf(untyped.nope!.nothing!.query());
    expect(unknown.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    const wrongMethod = await failureOf(untyped.auth!.signOut!.query());
    expect(wrongMethod.data).toMatchObject({ code: "METHOD_NOT_SUPPORTED", httpStatus: 405 });
  });

  it("a batch of mixed outcomes: each call gets its own result or error", async () => {
    const nurse = clientOf(link, "nurse");
    const [list, entitlements, missing, bad] = await Promise.allSettled([
      nurse.conversations.list.query({ limit: 5 }),
      nurse.clinic.entitlements.query(),
      nurse.conversations.open.query({ conversationId: uuid }),
      nurse.conversations.list.query({ limit: 5000 }),
    ]);
    expect(list.status === "fulfilled" && Array.isArray(list.value.items)).toBe(true);
    expect(entitlements.status === "fulfilled" && entitlements.value.plan).toBe("premium");
    expect(missing.status === "rejected" && (missing.reason as AppClientError).data.code).toBe("NOT_FOUND");
    expect(bad.status === "rejected" && (bad.reason as AppClientError).data.code).toBe("BAD_REQUEST");
  });
});

describe("every tRPC error code, through the server's JSON RPC", () => {
  const codes = Object.keys(TRPC_ERROR_CODES_BY_KEY) as TRPC_ERROR_CODE_KEY[];
  const codesRouter = createTRPCRouter({
    fail: publicProcedure
      .input(z.strictObject({ code: z.enum(codes as [TRPC_ERROR_CODE_KEY, ...TRPC_ERROR_CODE_KEY[]]) }))
      .query(({ input }): string => {
        throw new TRPCError({ code: input.code });
      }),
    ok: publicProcedure.query(() => "fine"),
  });
  let bare: Server;
  let url: string;
  beforeAll(async () => {
    const rpc = createTrpcRpc({
      router: codesRouter,
      createContext: async () => ({}) as Context,
      maxBodyBytes,
      maxBatchSize: 100,
      onError: () => {},
    });
    bare = createServer((req, res) => {
      const target = new URL(req.url ?? "/", "http://localhost");
      const answered = rpc(req, res, target.pathname.slice("/trpc/".length), target.searchParams);
      if (answered === false) res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/trpc`;
  });
  afterAll(async () => {
    await new Promise((resolve) => bare?.close(resolve));
  });

  it("httpLink: each code with its JSON-RPC number and HTTP status", async () => {
    const client = createTRPCClient<typeof codesRouter>({ links: [httpLink({ url })] });
    for (const code of codes) {
      const error = (await failureOf(client.fail.query({ code }))) as unknown as TRPCClientError<
        typeof codesRouter
      >;
      const status = getHTTPStatusCodeFromError(new TRPCError({ code }));
      expect(
        { code: error.data?.code, httpStatus: error.data?.httpStatus, number: error.shape?.code },
        code,
      ).toEqual({
        code,
        httpStatus: status,
        number: TRPC_ERROR_CODES_BY_KEY[code],
      });
    }
  });

  it("httpBatchLink: every code in one batch beside a success", async () => {
    const client = createTRPCClient<typeof codesRouter>({ links: [httpBatchLink({ url, maxItems: 100 })] });
    const [ok, ...failures] = await Promise.allSettled([
      client.ok.query(),
      ...codes.map((code) => client.fail.query({ code })),
    ]);
    expect(ok).toEqual({ status: "fulfilled", value: "fine" });
    expect(failures.map((f) => f.status === "rejected" && (f.reason as AppClientError).data.code)).toEqual(
      codes,
    );
  });
});
