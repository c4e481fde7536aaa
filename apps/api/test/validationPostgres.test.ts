import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, authOrigin, type Browser, startAuthApi } from "./support/authApi";
import { inputMarker } from "./support/invalidInputs";
import { enrolStaff, signInPatient } from "./support/signInFlows";

// SEC-6 on the real server and the real PostgreSQL, which refuses NUL in text (SQLSTATE 22021):
// a NUL, another control character or an unpaired surrogate in any string field, or an unknown
// field, is a 400 that names the field and changes no row of any table; never a 500.

let api: AuthApi;
let admin: Browser;
let patient: Browser;
let conversationId: string;
beforeAll(async () => {
  api = await startAuthApi();
  admin = api.browser();
  await enrolStaff(api, admin, api.world.a.admin);
  patient = api.browser();
  await signInPatient(patient, api.world.a.patient.email!);
  ({
    conversation: { id: conversationId },
  } = await admin.trpc.conversations.startWithPatient.mutate({
    patientId: api.world.a.patient.id,
  }));
  await admin.trpc.messages.send.mutate({ conversationId, clientId: "first", text: "Hello" });
});
afterAll(async () => {
  await api.close();
});

/** Every row of every table of the schema, as text: what "nothing changed" compares. */
async function everyRow(): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(api.owner);
  const rows: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const dump = await sql<{
      dump: string | null;
    }>`select string_agg(t::text, E'\\n' order by t::text) as dump
      from ${sql.table(name)} t`.execute(api.owner);
    rows[name] = dump.rows[0]?.dump ?? "";
  }
  return rows;
}

/** The request as a browser sends it (JSON in the body, or in the URL of a query), with its cookie. */
async function send(browser: Browser | null, path: string, type: "query" | "mutation", input: unknown) {
  const json = JSON.stringify(input);
  const headers: Record<string, string> = { origin: authOrigin, "content-type": "application/json" };
  if (browser) headers.cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  const response =
    type === "query"
      ? await fetch(`${api.url}/trpc/${path}?input=${encodeURIComponent(json)}`, { headers })
      : await fetch(`${api.url}/trpc/${path}`, { method: "POST", headers, body: json });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: JSON.parse(text) as { error?: { message: string; data: { fields: unknown } } },
  };
}

/** Characters no string input accepts: NUL, other control characters, unpaired surrogates. */
const refused = fc.constantFrom(
  "\u0000",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u0085",
  "\ud800",
  "\udc00",
  "\ud83d",
);
/** Tab and line breaks: refused too, except in message text. */
const lineBreaks = fc.constantFrom("\t", "\n", "\r");

/** A valid string with one refused character somewhere in it. */
const spoilt = (valid: string, bad: fc.Arbitrary<string> = refused) =>
  fc
    .tuple(bad, fc.nat({ max: valid.length }))
    .map(([character, at]) => `${valid.slice(0, at)}${character}${valid.slice(at)}`);

interface Case {
  readonly path: string;
  readonly type: "query" | "mutation";
  readonly who: () => Browser | null;
  readonly valid: () => Record<string, unknown>;
  /** The string fields, each with its valid value and the characters it refuses. */
  readonly fields: Readonly<Record<string, readonly [string, fc.Arbitrary<string>]>>;
}

const bothKinds = fc.oneof(refused, lineBreaks);
const cases: readonly Case[] = [
  {
    path: "messages.send",
    type: "mutation",
    who: () => patient,
    valid: () => ({ conversationId, clientId: "c-1", text: "Hello there" }),
    fields: { clientId: ["c-1", bothKinds], text: ["Hello there", refused] },
  },
  {
    path: "auth.signIn",
    type: "mutation",
    who: () => null,
    valid: () => ({ audience: "patient", email: api.world.a.patient.email!, password: "a password" }),
    fields: {
      email: ["someone@clinic.test", bothKinds],
      password: ["a password", bothKinds],
      code: ["123456", bothKinds],
    },
  },
  {
    path: "conversations.list",
    type: "query",
    who: () => patient,
    valid: () => ({ limit: 20 }),
    fields: { cursor: ["page-2", bothKinds] },
  },
  {
    path: "audit.list",
    type: "query",
    who: () => admin,
    valid: () => ({ limit: 20 }),
    fields: { cursor: ["12345", bothKinds] },
  },
  {
    path: "auth.requestPasswordReset",
    type: "mutation",
    who: () => null,
    valid: () => ({ audience: "patient", email: api.world.a.patient.email! }),
    fields: { email: ["someone@clinic.test", bothKinds] },
  },
  {
    path: "auth.resetPassword",
    type: "mutation",
    who: () => null,
    valid: () => ({ token: "A".repeat(43), password: "a long enough password" }),
    fields: { password: ["a long enough password", bothKinds] },
  },
  {
    path: "auth.changePassword",
    type: "mutation",
    who: () => patient,
    valid: () => ({ currentPassword: "correct horse battery staple", newPassword: "a long enough password" }),
    fields: {
      currentPassword: ["correct horse battery staple", bothKinds],
      newPassword: ["a long enough password", bothKinds],
    },
  },
  {
    path: "appointments.create",
    type: "mutation",
    who: () => admin,
    valid: () => ({
      patientId: api.world.a.patient.id,
      practitionerId: api.world.a.doctor.id,
      startsAt: new Date(api.clock.now().getTime() + 3_600_000).toISOString(),
      endsAt: new Date(api.clock.now().getTime() + 5_400_000).toISOString(),
    }),
    fields: {
      patientId: ["00000000-0000-4000-8000-000000000001", bothKinds],
      practitionerId: ["00000000-0000-4000-8000-000000000002", bothKinds],
      startsAt: ["2026-03-02T10:00:00.000Z", bothKinds],
      endsAt: ["2026-03-02T10:30:00.000Z", bothKinds],
    },
  },
  {
    path: "patients.list",
    type: "mutation",
    who: () => admin,
    valid: () => ({ limit: 20 }),
    fields: { cursor: ["page-2", bothKinds] },
  },
  {
    path: "patients.add",
    type: "mutation",
    who: () => admin,
    valid: () => ({ name: "Valid Name", dateOfBirth: "1980-01-02", smsConsent: false }),
    fields: {
      name: ["Valid Name", bothKinds],
      dateOfBirth: ["1980-01-02", bothKinds],
      email: ["valid@example.test", bothKinds],
      mobilePhone: ["+15550100", bothKinds],
      hostId: ["H-1", bothKinds],
    },
  },
  {
    path: "patients.importConfirm",
    type: "mutation",
    who: () => admin,
    valid: () => ({ csv: "host_id,name,date_of_birth\nH-1,Valid Name,1980-01-02\n" }),
    fields: { csv: ["host_id,name,date_of_birth\nH-1,Valid Name,1980-01-02\n", refused] },
  },
  {
    path: "team.invite",
    type: "mutation",
    who: () => admin,
    valid: () => ({ email: "new.hire@team.test", role: "staff" }),
    fields: { email: ["new.hire@team.test", bothKinds] },
  },
  {
    path: "team.changeRole",
    type: "mutation",
    who: () => admin,
    valid: () => ({ staffId: api.world.a.nurse.id, role: "practitioner" }),
    fields: { staffId: ["0190f5a2-0000-7000-8000-000000000001", bothKinds] },
  },
  {
    path: "auth.acceptStaffInvitation",
    type: "mutation",
    who: () => null,
    valid: () => ({ token: "A".repeat(43), name: "Nell New", password: "a long enough password" }),
    fields: { name: ["Nell New", bothKinds], password: ["a long enough password", bothKinds] },
  },
];

describe("SEC-6: bad text reaches no table", () => {
  it.each(cases.map((c) => [c.path, c] as const))(
    "SEC-6: %s refuses a NUL, a control character or an unpaired surrogate in each string field with a 400 naming it, and no row changes",
    async (_path, c) => {
      const before = await everyRow();
      for (const [field, [valid, bad]] of Object.entries(c.fields)) {
        await fc.assert(
          fc.asyncProperty(spoilt(valid, bad), async (value) => {
            const { status, body } = await send(c.who(), c.path, c.type, { ...c.valid(), [field]: value });
            expect(status, `${c.path}.${field} ${JSON.stringify(value)}`).toBe(400);
            expect(body.error?.message).toBe(`Some fields are missing or not valid: ${field}.`);
            expect(body.error?.data.fields).toEqual([{ path: field, problem: "invalid_format" }]);
          }),
          { numRuns: 15 },
        );
      }
      expect(await everyRow()).toEqual(before);
    },
  );

  it("SEC-6: an unknown field gets a 400 naming it when it looks like a field name, never repeating any other key, and no row changes", async () => {
    const before = await everyRow();
    const fieldName = fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,20}$/);
    const otherKey = fc.string({ minLength: 1, maxLength: 12 }).map((s) => `${inputMarker} ${s}`);
    for (const c of cases) {
      const known = new Set(Object.keys(c.fields).concat(Object.keys(c.valid())));
      await fc.assert(
        fc.asyncProperty(
          fieldName.filter((name) => !known.has(name) && name !== "__proto__"),
          otherKey,
          // Anything JSON carries (an undefined value would drop the key on the way).
          fc.jsonValue({ maxDepth: 2 }),
          async (name, other, value) => {
            const named = await send(c.who(), c.path, c.type, { ...c.valid(), [name]: value });
            expect(named.status, `${c.path} ${name}`).toBe(400);
            expect(named.body.error?.message).toBe(`Some fields are missing or not valid: ${name}.`);
            const hidden = await send(c.who(), c.path, c.type, { ...c.valid(), [other]: value });
            expect(hidden.status).toBe(400);
            expect(hidden.body.error?.message).toBe("Some fields are missing or not valid: (unknown field).");
            expect(hidden.text).not.toContain(inputMarker);
          },
        ),
        { numRuns: 10 },
      );
    }
    expect(await everyRow()).toEqual(before);
  });
});
