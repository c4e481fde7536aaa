import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Session } from "../src/auth/session";
import { describeError } from "../src/errors";
import { startTestApi, type TestApi } from "./support/api";
import { inputMarker, invalidInputs } from "./support/invalidInputs";
import { type Audience, procedureCases, procedureOf } from "./support/procedures";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  // A conversation with a message and a file, so "nothing changed" is checked against a world with content.
  const { a } = api.world;
  const doctor = api.clientAs(a.sessionOf(a.doctor));
  const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
  await doctor.messages.send.mutate({ conversationId: conversation.id, clientId: "m", text: "Hello" });
});
afterAll(async () => {
  await api.close();
});

function sessionFor(audience: Audience): Session {
  const { a } = api.world;
  const person = {
    public: a.doctor,
    "signed-in": a.doctor,
    staff: a.nurse,
    admin: a.admin,
    patient: a.patient,
  }[audience];
  return a.sessionOf(person);
}

describe("SEC-6: every input is validated at the edge; bad input gets a clear error and changes nothing", () => {
  it.each(procedureCases.map((c) => [c.path, c] as const))(
    "SEC-6: %s refuses generated invalid inputs with BAD_REQUEST naming fields, echoing nothing, changing nothing",
    async (_path, procedure) => {
      const call = procedureOf(api.callerAs(sessionFor(procedure.audience)), procedure.path);
      const valid = procedure.sample(api.world);
      expect(procedure.schema.safeParse(valid).success).toBe(true);
      const before = api.memory.dump();
      await fc.assert(
        fc.asyncProperty(invalidInputs(procedure, valid), async (input) => {
          const error = await call(input).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(TRPCError);
          expect((error as TRPCError).code).toBe("BAD_REQUEST");
          const described = describeError(error as TRPCError, 400);
          expect(described.message).toMatch(/^Some fields are missing or not valid: .+\.$/);
          expect(described.data.fields?.length).toBeGreaterThan(0);
          expect(JSON.stringify(described)).not.toContain(inputMarker);
        }),
        { numRuns: 300 },
      );
      expect(api.memory.dump()).toEqual(before);
    },
  );

  it("SEC-6: every procedure's input is a strict object (or nothing): an unexpected key is refused", async () => {
    for (const procedure of procedureCases) {
      const call = procedureOf(api.callerAs(sessionFor(procedure.audience)), procedure.path);
      const sample = procedure.sample(api.world);
      const input = { ...(typeof sample === "object" ? sample : {}), [inputMarker]: 1 };
      await expect(call(input), procedure.path).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });

  it("SEC-6: over HTTP too, a handful of invalid inputs per area get a 400 listing fields, and nothing changes", async () => {
    const before = api.memory.dump();
    const paths = [
      "conversations.history",
      "messages.send",
      "files.requestUpload",
      "people.search",
      "clinic.changeSettings",
      "portal.chat",
    ];
    for (const path of paths) {
      const procedure = procedureCases.find((c) => c.path === path);
      if (!procedure) throw new Error(path);
      const inputs = fc
        .sample(invalidInputs(procedure, procedure.sample(api.world)), 40)
        // What actually travels: JSON drops undefined values and turns NaN into null.
        .map((input) =>
          input === undefined ? undefined : (JSON.parse(JSON.stringify(input) ?? "null") as unknown),
        )
        .filter((input) => !procedure.schema.safeParse(input).success)
        // A GET carries its input in the URL, which Node caps at 16 KB of headers.
        .filter(
          (input) =>
            input !== undefined && (procedure.type === "mutation" || JSON.stringify(input).length < 4000),
        )
        .slice(0, 5);
      expect(inputs.length, path).toBeGreaterThan(0);
      for (const input of inputs) {
        const { response, text } = await api.raw(path, procedure.type, input, sessionFor(procedure.audience));
        expect(response.status, path).toBe(400);
        const body = JSON.parse(text) as { error: { message: string; data: { fields: unknown[] } } };
        expect(body.error.message).toMatch(/^Some fields are missing or not valid: /);
        expect(body.error.data.fields.length).toBeGreaterThan(0);
        expect(text).not.toContain(inputMarker);
      }
    }
    const { response } = await api.raw("messages.send", "mutation", undefined, sessionFor("signed-in"));
    expect(response.status).toBe(400);
    expect(api.memory.dump()).toEqual(before);
  });

  it("SEC-6: every string field of every procedure refuses NUL, other control characters and unpaired surrogates, naming the field, and nothing changes", async () => {
    // Tab, line feed and carriage return are refused in one-line fields only: message text keeps them.
    const refusedEverywhere = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\ud800", "\udfff"];
    const before = api.memory.dump();
    let stringFields = 0;
    for (const procedure of procedureCases) {
      if (!(procedure.schema instanceof z.ZodObject)) continue;
      const call = procedureOf(api.callerAs(sessionFor(procedure.audience)), procedure.path);
      const valid = procedure.sample(api.world) as Record<string, unknown>;
      for (const field of Object.keys(procedure.schema.shape)) {
        // A field's own valid string, or (optional ones absent from the sample) a plain word.
        const text = typeof valid[field] === "string" ? (valid[field] as string) : "page2";
        if (!procedure.schema.safeParse({ ...valid, [field]: text }).success) continue;
        stringFields++;
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...refusedEverywhere),
            fc.nat({ max: text.length }),
            async (bad, at) => {
              const input = { ...valid, [field]: `${text.slice(0, at)}${bad}${text.slice(at)}` };
              const error = await call(input).then(
                () => null,
                (e: unknown) => e,
              );
              expect(error, `${procedure.path}.${field}`).toBeInstanceOf(TRPCError);
              const described = describeError(error as TRPCError, 400);
              // Free text by its format; enums, ids, dates and person keys by their own rule.
              expect(described.data.fields, `${procedure.path}.${field}`).toEqual([
                { path: field, problem: expect.stringMatching(/^(invalid_format|invalid_value|custom)$/) },
              ]);
              expect(described.message).toBe(`Some fields are missing or not valid: ${field}.`);
            },
          ),
          { numRuns: 20 },
        );
      }
    }
    // signIn's email, password and code, the send's client id and text, the cursors, search…
    expect(stringFields).toBeGreaterThanOrEqual(10);
    expect(api.memory.dump()).toEqual(before);
  });

  it("SEC-6: an unknown field is named when it is shaped like a field name; any other key is not repeated", async () => {
    const call = procedureOf(api.callerAs(sessionFor("signed-in")), "messages.send");
    const procedure = procedureCases.find((c) => c.path === "messages.send")!;
    const valid = procedure.sample(api.world) as Record<string, unknown>;
    const describedFor = async (input: unknown) =>
      describeError(
        (await call(input).then(
          () => null,
          (e: unknown) => e,
        )) as TRPCError,
        400,
      );
    const named = await describedFor({ ...valid, converstionId: valid.conversationId });
    expect(named.message).toBe("Some fields are missing or not valid: converstionId.");
    expect(named.data.fields).toEqual([{ path: "converstionId", problem: "unrecognized_keys" }]);
    const both = await describedFor({ ...valid, text: "a\u0000b", priority: 1, [`${inputMarker} name`]: 1 });
    expect(both.message).toBe("Some fields are missing or not valid: text, priority, (unknown field).");
    expect(JSON.stringify(both)).not.toContain(inputMarker);
  });
});
