import { DomainError, domainErrorCodes } from "@clinic-chat/domain";
import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { domainErrorTable } from "../src/domainErrorTable";
import { describeError, internalErrorSentence, toTRPCError } from "../src/errors";
import { startTestApi, type TestApi } from "./support/api";
import { phi, phiMarkers } from "./support/world";

const httpStatusOf: Record<string, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
};

let api: TestApi | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});

function expectNoLeak(text: string): void {
  for (const marker of phiMarkers) expect(text).not.toContain(marker);
  expect(text).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/); // no stack frames
  expect(text).not.toContain("stack");
}

describe("the error table (SEC-5: errors say what to do)", () => {
  it("has exactly one row per domain code", () => {
    expect(Object.keys(domainErrorTable).sort()).toEqual([...domainErrorCodes].sort());
  });

  it.each(domainErrorCodes)("maps %s to a tRPC code and a sentence, never the internal message", (code) => {
    const error = toTRPCError(new DomainError(code, `internal ${phi.textMarker}`, {}));
    expect(httpStatusOf[error.code], error.code).toBeDefined();
    expect(error.message).toMatch(/^[A-Z].*[.]$/);
    expect(error.message).not.toContain(code);
    expect(error.message).not.toContain("undefined");
    expectNoLeak(error.message);
    const described = describeError(error, 400);
    expect(described.data.domainCode).toBe(code);
    expect(described.message).toBe(error.message);
  });

  it("ENT-2: PLAN_REQUIRED names the plan from its details", () => {
    expect(toTRPCError(new DomainError("PLAN_REQUIRED", "x", { plan: "enhanced" })).message).toBe(
      "Your plan doesn't include this. Upgrade to Enhanced to use it.",
    );
    expect(toTRPCError(new DomainError("PLAN_REQUIRED", "x", { plan: "premium" })).code).toBe("FORBIDDEN");
  });

  it("MSG-1/FILE-1: limits are spelled out for people", () => {
    expect(toTRPCError(new DomainError("MESSAGE_TOO_LONG", "x", { max: 4000 })).message).toContain(
      "4,000 characters",
    );
    expect(
      toTRPCError(new DomainError("FILE_TOO_LARGE", "x", { maxBytes: 25 * 1024 * 1024 })).message,
    ).toContain("25 MB");
    expect(toTRPCError(new DomainError("FILE_TYPE_NOT_ALLOWED")).message).toBe(
      "This type of file can't be shared. Use PDF, JPEG, PNG, HEIC, plain text, DOCX or XLSX.",
    );
  });

  it("SEC-6: invalid input is described by field paths only, never by the values", () => {
    const schema = z.strictObject({ conversationId: z.uuid(), items: z.array(z.int()) });
    const parsed = schema.safeParse({
      conversationId: phi.textMarker,
      items: [1, phi.fileMarker],
      [phi.patientMarker]: 1,
    });
    if (parsed.success) throw new Error("expected a failure");
    const described = describeError(new TRPCError({ code: "BAD_REQUEST", cause: parsed.error }), 400);
    expect(described.message).toBe(
      "Some fields are missing or not valid: conversationId, items[1], (unknown field).",
    );
    expect(described.data.fields).toEqual([
      { path: "conversationId", problem: "invalid_format" },
      { path: "items[1]", problem: "invalid_type" },
      { path: "(unknown field)", problem: "unrecognized_keys" },
    ]);
    expectNoLeak(JSON.stringify(described));
  });

  it("SEC-5: an unexpected error says only that something went wrong", () => {
    const error = new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      cause: new Error(`row ${phi.patientName}`),
    });
    expect(describeError(error, 500)).toEqual({
      message: internalErrorSentence,
      data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500, domainCode: null, details: null, fields: null },
    });
  });
});

describe("errors over HTTP", () => {
  it.each(domainErrorCodes)(
    "a use case refusing with %s reaches the client as the table's row",
    async (code) => {
      api = await startTestApi({
        override: (deps) => ({
          ...deps,
          chat: {
            ...deps.chat,
            listConversations: async () => {
              throw new DomainError(
                code,
                `internal ${phi.textMarker}`,
                code === "PLAN_REQUIRED" ? { plan: "premium" } : {},
              );
            },
          },
        }),
      });
      const { a } = api.world;
      const { response, text } = await api.raw(
        "conversations.list",
        "query",
        { limit: 5 },
        a.sessionOf(a.nurse),
      );
      const row = domainErrorTable[code];
      const body = JSON.parse(text) as { error: { message: string; data: Record<string, unknown> } };
      expect(response.status).toBe(httpStatusOf[row.code]);
      expect(body.error.message).toBe(
        toTRPCError(new DomainError(code, "", code === "PLAN_REQUIRED" ? { plan: "premium" } : {})).message,
      );
      expect(body.error.data).toMatchObject({
        code: row.code,
        domainCode: code,
        httpStatus: response.status,
      });
      expectNoLeak(text);
    },
  );

  it("SEC-5: an infrastructure failure is a 500 without details, logged with the request id and without PHI", async () => {
    api = await startTestApi();
    const { a } = api.world;
    api.uow.failNext(new Error(`duplicate key (name)=(${phi.patientName}) text ${phi.messageText}`));
    const { response, text } = await api.raw(
      "conversations.list",
      "query",
      { limit: 5 },
      a.sessionOf(a.nurse),
    );
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error: {
        code: -32603,
        message: "Something went wrong on our side. Please try again.",
        data: {
          code: "INTERNAL_SERVER_ERROR",
          httpStatus: 500,
          domainCode: null,
          details: null,
          fields: null,
        },
      },
    });
    const requestId = response.headers.get("x-request-id");
    const failure = api.logs
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === "procedure failed");
    expect(failure).toMatchObject({ requestId, procedure: "conversations.list", errorType: "Error" });
    expect(failure.frames.length).toBeGreaterThan(0);
    expectNoLeak(text);
    for (const line of api.logs) for (const marker of phiMarkers) expect(line).not.toContain(marker);
  });
});

describe("SEC-5: PHI never reaches an error body or a log line", () => {
  it("SEC-5: refusals about messages, files and patients carrying planted PHI echo none of it", async () => {
    api = await startTestApi();
    const { a } = api.world;
    const doctorSession = a.sessionOf(a.doctor);
    const doctor = api.clientAs(doctorSession);
    const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    const conversationId = conversation.id;
    await doctor.messages.send.mutate({ conversationId, clientId: "ok", text: phi.messageText });
    await doctor.people.search.mutate({ kind: "patient", query: phi.patientName, limit: 5 });
    const attempts: [string, "query" | "mutation", unknown][] = [
      // Domain refusals (MESSAGE_TOO_LONG, FILE_TYPE_NOT_ALLOWED) …
      [
        "messages.send",
        "mutation",
        { conversationId, clientId: "long", text: `${phi.messageText} ${"x".repeat(4000)}` },
      ],
      [
        "files.requestUpload",
        "mutation",
        {
          conversationId,
          clientId: "f",
          fileName: phi.fileName,
          sizeBytes: 10,
          contentType: "application/x-msdownload",
        },
      ],
      // … and invalid input carrying PHI in values and in unexpected keys.
      ["messages.send", "mutation", { conversationId, clientId: "zod", text: phi.messageText.repeat(400) }],
      [
        "messages.send",
        "mutation",
        { conversationId, clientId: phi.messageText.repeat(10), text: phi.messageText },
      ],
      [
        "files.requestUpload",
        "mutation",
        {
          conversationId,
          clientId: "f",
          fileName: phi.fileName,
          sizeBytes: -1,
          contentType: "application/pdf",
        },
      ],
      ["people.search", "mutation", { kind: "patient", query: phi.patientName, limit: 1000 }],
      ["people.search", "mutation", { kind: phi.patientName, query: phi.patientName, limit: 5 }],
      ["conversations.open", "query", { conversationId: phi.patientName }],
      ["conversations.open", "query", { conversationId, [phi.patientName]: phi.messageText }],
    ];
    for (const [path, type, input] of attempts) {
      const { response, text } = await api.raw(path, type, input, doctorSession);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expectNoLeak(text);
    }
    expect(api.logs.length).toBeGreaterThan(attempts.length);
    for (const line of api.logs) for (const marker of phiMarkers) expect(line).not.toContain(marker);
  });
});
