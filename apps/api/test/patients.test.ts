import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, authOrigin, type Browser, startAuthApi } from "./support/authApi";
import { enrolStaff, signInPatient } from "./support/signInFlows";

// ADMIN-3 and ADMIN-5 over HTTP, on the real server and PostgreSQL.

let api: AuthApi;
let admin: Browser;
let nurse: Browser;
let adminB: Browser;
beforeAll(async () => {
  api = await startAuthApi();
  admin = api.browser();
  await enrolStaff(api, admin, api.world.a.admin);
  nurse = api.browser();
  await enrolStaff(api, nurse, api.world.a.nurse);
  adminB = api.browser();
  await enrolStaff(api, adminB, api.world.b.admin);
});
afterAll(async () => {
  await api.close();
});

async function patientCount(): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from patients`.execute(api.owner);
  return result.rows[0]!.n;
}

const header = "host_id,first_name,last_name,date_of_birth,email,mobile,sms_consent";
function csvOf(count: number, line: (i: number) => string = (i) => goodLine(i)): string {
  return `${header}\n${Array.from({ length: count }, (_, i) => line(i)).join("\n")}\n`;
}
function goodLine(i: number, lastName = `Importee${i}`): string {
  return `CSV-${i},Ivy,${lastName},1985-04-${String((i % 28) + 1).padStart(2, "0")},ivy${i}@example.test,+1 555 010 ${String(i).padStart(4, "0")},yes`;
}

describe("ADMIN-3: staff add, edit and disable patients", () => {
  it("ADMIN-3 ADMIN-5: front desk adds and edits a patient; the file and the list show the date of birth", async () => {
    const { patientId } = await nurse.trpc.patients.add.mutate({
      name: "Quinn Added",
      dateOfBirth: "1984-03-12",
      email: "quinn@example.test",
      mobilePhone: "+44 7700 900123",
      smsConsent: true,
      hostId: "ADD-1",
    });
    const file = await nurse.trpc.patients.get.query({ patientId });
    expect(file).toMatchObject({
      person: { name: "Quinn Added", dateOfBirth: "1984-03-12" },
      mobilePhone: "+447700900123",
      hostId: "ADD-1",
      portalAccount: "none",
    });
    await nurse.trpc.patients.edit.mutate({
      patientId,
      details: { name: "Quinn Edited", dateOfBirth: "1984-03-13", smsConsent: false, hostId: "ADD-1" },
    });
    const list = await admin.trpc.patients.list.mutate({ limit: 100 });
    expect(list.items.find((p) => p.person.id === patientId)?.person).toMatchObject({
      name: "Quinn Edited",
      dateOfBirth: "1984-03-13",
    });
    const found = await nurse.trpc.people.search.mutate({ kind: "patient", query: "quinn", limit: 5 });
    expect(found[0]?.person).toMatchObject({ id: patientId, dateOfBirth: "1984-03-13" });
  });

  it("ADMIN-3: a bad field is refused with its name and nothing is written; another clinic cannot edit (ELIG-5)", async () => {
    const before = await patientCount();
    const error = await nurse.trpc.patients.add
      .mutate({ name: "Bad Date", dateOfBirth: "1984-02-31", smsConsent: false })
      .then(
        () => null,
        (e: { data?: unknown }) => e,
      );
    expect(error?.data).toMatchObject({
      code: "BAD_REQUEST",
      details: { field: "dateOfBirth", problem: "not_a_date" },
    });
    const foreign = await adminB.trpc.patients.edit
      .mutate({
        patientId: api.world.a.patient.id,
        details: { name: "Hijack", dateOfBirth: "1984-02-02", smsConsent: false },
      })
      .then(
        () => null,
        (e: { data?: unknown }) => e,
      );
    expect(foreign?.data).toMatchObject({ code: "NOT_FOUND" });
    expect(await patientCount()).toBe(before);
  });

  it("ELIG-6: disabling a portal account ends the patient's session; re-enabling lets them sign in again", async () => {
    const patient = api.browser();
    await signInPatient(patient, api.world.a.patient.email!);
    await patient.trpc.auth.me.query();
    const patientId = api.world.a.patient.id;
    await nurse.trpc.patients.setPortalAccess.mutate({ patientId, enabled: false });
    await expect(patient.trpc.auth.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    await nurse.trpc.patients.setPortalAccess.mutate({ patientId, enabled: true });
    const again = api.browser();
    await signInPatient(again, api.world.a.patient.email!);
  });
});

describe("ADMIN-3: CSV import", () => {
  it("ADMIN-3: bad rows are reported by row and field, nothing is written, and the fixed file imports all or nothing", async () => {
    const bad = new Map<number, string>([
      [4, "CSV-4,Ivy,Importee4,1985-13-01,ivy4@example.test,,no"],
      [17, "CSV-17,,,1985-04-01,ivy17@example.test,,no"],
      [33, "CSV-33,Ivy,Importee33,1985-04-01,not-an-email,12,yes"],
    ]);
    const broken = csvOf(50, (i) => bad.get(i) ?? goodLine(i));
    const before = await patientCount();
    const preview = await admin.trpc.patients.importPreview.mutate({ csv: broken });
    expect(preview.file).toBeNull();
    expect(preview.preview).toMatchObject({ added: 47, updated: 0, refused: 3 });
    expect(preview.preview?.problems).toEqual([
      { row: 5, field: "dateOfBirth", problem: "not_a_date" },
      { row: 18, field: "name", problem: "missing" },
      { row: 34, field: "email", problem: "not_an_email" },
      { row: 34, field: "mobilePhone", problem: "not_a_mobile_number" },
    ]);
    const refused = await admin.trpc.patients.importConfirm.mutate({ csv: broken }).then(
      () => null,
      (e: { data?: unknown }) => e,
    );
    expect(refused?.data).toMatchObject({ code: "BAD_REQUEST", details: { refusedRows: 3 } });
    expect(await patientCount()).toBe(before);

    const fixed = csvOf(50);
    expect((await admin.trpc.patients.importConfirm.mutate({ csv: fixed })).imported).toEqual({
      added: 50,
      updated: 0,
    });
    expect(await patientCount()).toBe(before + 50);

    const renamed = csvOf(50, (i) => goodLine(i, `Renamed${i}`));
    const again = await admin.trpc.patients.importPreview.mutate({ csv: renamed });
    expect(again.preview).toMatchObject({ added: 0, updated: 50, refused: 0 });
    expect((await admin.trpc.patients.importConfirm.mutate({ csv: renamed })).imported).toEqual({
      added: 0,
      updated: 50,
    });
    expect(await patientCount()).toBe(before + 50);
    const found = await admin.trpc.people.search.mutate({ kind: "patient", query: "renamed7", limit: 5 });
    expect(found.map((m) => m.person.name)).toContain("Ivy Renamed7");

    // ELIG-5: clinic B sees none of them, and its own import of the same host ids adds its own.
    const theirs = await adminB.trpc.people.search.mutate({ kind: "patient", query: "renamed", limit: 5 });
    expect(theirs).toEqual([]);
    expect((await adminB.trpc.patients.importPreview.mutate({ csv: fixed })).preview).toMatchObject({
      added: 50,
      updated: 0,
    });
  });

  it("ADMIN-3: imports and an edit of the same new host ids at the same time add each patient once; the later ones update", async () => {
    for (let round = 0; round < 3; round++) {
      const race = (i: number) => `RACE${round}-${i},Ivy,Racer${i},1985-04-01,,,no`;
      const before = await patientCount();
      const csv = csvOf(200, race);
      const [manual, ...imports] = await Promise.all([
        nurse.trpc.patients.add
          .mutate({
            name: "Ivy Manual",
            dateOfBirth: "1985-04-01",
            smsConsent: false,
            hostId: `RACE${round}-0`,
          })
          .then(
            () => "added",
            (e: { data?: unknown }) => e.data,
          ),
        ...[1, 2, 3].map(() => admin.trpc.patients.importConfirm.mutate({ csv })),
      ]);
      const added = imports.map((answer) => answer.imported?.added ?? 0).sort((x, y) => x - y);
      expect(
        imports.map((answer) => (answer.imported?.added ?? 0) + (answer.imported?.updated ?? 0)),
      ).toEqual([200, 200, 200]);
      // The edit either came first (the imports then update its patient) or found the host id taken.
      if (manual === "added") expect(added).toEqual([0, 0, 199]);
      else {
        expect(manual).toMatchObject({ code: "BAD_REQUEST", details: { field: "hostId", problem: "taken" } });
        expect(added).toEqual([0, 0, 200]);
      }
      expect(await patientCount()).toBe(before + 200);
    }
  });

  it("ADMIN-3: a file of unknown shape is refused as a whole, naming the column or line, never a value", async () => {
    const cases: [string, unknown][] = [
      [
        "host_id,name,date_of_birth,favourite_colour\nX-1,A B,1980-01-01,red\n",
        { problem: "unknown_column", column: 4 },
      ],
      ["host_id,name\nX-1,A B\n", { problem: "missing_column", field: "dateOfBirth" }],
      ["host_id,name,date_of_birth\n", { problem: "empty" }],
      ['host_id,name,date_of_birth\nX-1,"A B,1980-01-01\n', { problem: "not_csv", line: 2 }],
    ];
    for (const [csv, problem] of cases) {
      const answer = await admin.trpc.patients.importPreview.mutate({ csv });
      expect(answer).toEqual({ file: problem, preview: null });
    }
  });

  it("ADMIN-3: front desk and practitioners may not import", async () => {
    const refused = await nurse.trpc.patients.importPreview.mutate({ csv: csvOf(1) }).then(
      () => null,
      (e: { data?: unknown }) => e,
    );
    expect(refused?.data).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("SEC-6: bad input to the patient procedures changes no row", () => {
  async function post(browser: Browser, path: string, input: unknown) {
    const headers: Record<string, string> = {
      origin: authOrigin,
      "content-type": "application/json",
      cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
    };
    const response = await fetch(`${api.url}/trpc/${path}`, {
      method: "POST",
      headers,
      body: JSON.stringify(input),
    });
    return response.status;
  }

  it("SEC-6 ADMIN-3: generated bad details and files are refused and the patients table keeps its rows", async () => {
    const before = await patientCount();
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom("\u0000", "x\u0001y", "\ud800", "a,b", '"'),
    );
    const notADate = text.filter((value) => !/^\s*\d{4}-\d{2}-\d{2}\s*$/.test(value));
    const details = fc.record({
      name: text,
      dateOfBirth: notADate,
      email: fc.option(text),
      mobilePhone: fc.option(text),
      smsConsent: fc.boolean(),
      hostId: fc.option(text),
    });
    await fc.assert(
      fc.asyncProperty(details, async (input) => {
        expect(await post(nurse, "patients.add", input)).toBe(400);
      }),
      { numRuns: 60 },
    );
    // Good rows beside at least one row whose date of birth is not a date: the import refuses as a whole.
    const row = fc.tuple(text, text, notADate);
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 5 }),
        fc.nat({ max: 5 }),
        async (bad, good) => {
          const lines = [
            ...Array.from({ length: good }, (_, i) => `FC-${i},Good Row${i},1980-01-0${i + 1}`),
            ...bad.map((l) => l.join(",")),
          ];
          const csv = `host_id,name,date_of_birth\n${lines.join("\n")}\n`;
          expect([200, 400]).toContain(await post(admin, "patients.importConfirm", { csv }));
          expect(await patientCount()).toBe(before);
        },
      ),
      { numRuns: 40 },
    );
    expect(await patientCount()).toBe(before);
  });
});
