import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { NotificationPayload } from "@clinic-chat/domain";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpSmsSender, SmsDeliveryError } from "../../src/sms/index";

/** One request as the provider saw it. */
interface Recorded {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly form: URLSearchParams;
}

/** How the provider answers one request; `hang` never answers. */
type Answer = { readonly status: number; readonly body: unknown } | "hang";

const openServers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    openServers.splice(0).map(
      (server) =>
        new Promise<void>((closed) => {
          // A hanging test request is still open; end it so close() can finish.
          server.closeAllConnections();
          server.close(() => closed());
        }),
    ),
  );
});

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A stand-in for the provider on a random loopback port: a real HTTP server that records every
 * request and gives the scripted answers in order (the last one repeats).
 */
async function startProvider(...answers: Answer[]) {
  const requests: Recorded[] = [];
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    requests.push({
      method: request.method,
      path: request.url,
      authorization: request.headers.authorization,
      contentType: request.headers["content-type"],
      form: new URLSearchParams(body),
    });
    const answer = answers[Math.min(requests.length, answers.length) - 1] ?? "hang";
    if (answer === "hang") return;
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  });
  openServers.push(server);
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return { requests, baseUrl: `http://127.0.0.1:${port}` };
}

const accountSid = "AC0123456789abcdef0123456789abcdef";
const authToken = "test-auth-token";
const from = "+15005550006";
const to = "+14155550142";
const link = "https://portal.maple.example/sign-in";
const payload: NotificationPayload = {
  subject: "New secure message from Maple Street Clinic",
  text: `You have a new secure message from Maple Street Clinic. Sign in to read it.\n\n${link}`,
  clinicName: "Maple Street Clinic",
  link,
};
const created = { status: 201, body: { sid: "SM0123", status: "queued" } };

/** The error a promise rejects with, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<SmsDeliveryError> {
  const error = await promise.then(
    () => expect.fail("expected the send to fail"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SmsDeliveryError);
  return error as SmsDeliveryError;
}

/** SEC-5: nothing an error carries, however it is printed or logged, names the number or the body. */
function expectNoNumberOrBody(error: SmsDeliveryError): void {
  for (const text of [error.message, String(error), error.stack ?? "", JSON.stringify(error)]) {
    expect(text).not.toContain(to);
    expect(text).not.toContain("4155550142");
    expect(text).not.toContain(payload.text);
    expect(text).not.toContain(link);
    expect(text).not.toContain(authToken);
  }
  expect(error.cause).toBeUndefined();
}

describe("HTTP SMS sender", () => {
  it("NOTIF-4: posts the payload's text as a form to the Messages API with basic auth", async () => {
    const provider = await startProvider(created);

    await createHttpSmsSender({ baseUrl: `${provider.baseUrl}/`, accountSid, authToken, from }).send(
      to,
      payload,
    );

    expect(provider.requests).toHaveLength(1);
    const [request] = provider.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(request?.authorization).toBe(
      `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`,
    );
    expect(request?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(request!.form)).toEqual({ To: to, From: from, Body: payload.text });
  });

  it("NOTIF-5: a provider error is retryable, and the retry goes through", async () => {
    const provider = await startProvider(
      { status: 500, body: { code: 20500, message: `Internal error sending to ${to}` } },
      created,
    );
    const sender = createHttpSmsSender({ baseUrl: provider.baseUrl, accountSid, authToken, from });

    const error = await rejectionOf(sender.send(to, payload));
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(500);
    expect(error.providerCode).toBe(20500);
    expectNoNumberOrBody(error);

    await sender.send(to, payload);
    expect(provider.requests).toHaveLength(2);
  });

  it("NOTIF-5: too many requests (429) is retryable", async () => {
    const provider = await startProvider({
      status: 429,
      body: { code: 20429, message: "Too Many Requests" },
    });

    const error = await rejectionOf(
      createHttpSmsSender({ baseUrl: provider.baseUrl, accountSid, authToken, from }).send(to, payload),
    );

    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
    expectNoNumberOrBody(error);
  });

  it("NOTIF-5: a refused message (400) is permanent and does not quote the number", async () => {
    const provider = await startProvider({
      status: 400,
      body: { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 },
    });

    const error = await rejectionOf(
      createHttpSmsSender({ baseUrl: provider.baseUrl, accountSid, authToken, from }).send(to, payload),
    );

    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.providerCode).toBe(21211);
    expectNoNumberOrBody(error);
    expect(provider.requests).toHaveLength(1);
  });

  it("NOTIF-5: a provider that never answers hits the timeout, retryable", async () => {
    const provider = await startProvider("hang");

    const error = await rejectionOf(
      createHttpSmsSender({ baseUrl: provider.baseUrl, accountSid, authToken, from, timeoutMs: 100 }).send(
        to,
        payload,
      ),
    );

    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain("100 ms");
    expectNoNumberOrBody(error);
    expect(provider.requests).toHaveLength(1);
  });

  it("NOTIF-5: a provider that cannot be reached is retryable", async () => {
    const provider = await startProvider(created);
    const [server] = openServers.splice(0);
    await new Promise<void>((closed) => server!.close(() => closed()));

    const error = await rejectionOf(
      createHttpSmsSender({ baseUrl: provider.baseUrl, accountSid, authToken, from }).send(to, payload),
    );

    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expectNoNumberOrBody(error);
  });

  it("sends through the fetch it is given", async () => {
    const provider = await startProvider(created);
    let calls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };

    await createHttpSmsSender({
      baseUrl: provider.baseUrl,
      accountSid,
      authToken,
      from,
      fetch: countingFetch,
    }).send(to, payload);

    expect(calls).toBe(1);
    expect(provider.requests).toHaveLength(1);
  });
});
