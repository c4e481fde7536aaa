import { beforeEach, describe, expect, it } from "vitest";
import type { PatientImportRow } from "../../src/people/patients/importPatients";
import {
  allPatientNames,
  auditTrail,
  createWorld,
  dumpWithoutAudit,
  lastAudit,
  refused,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

const details = {
  name: "Nora Newcomer",
  dateOfBirth: "1984-03-12",
  email: " Nora@Example.TEST ",
  mobilePhone: "+1 (555) 010-0199",
  smsConsent: true,
  hostId: "EHR-100",
};

function row(i: number, extra: Partial<PatientImportRow> = {}): PatientImportRow {
  return {
    hostId: `H-${i}`,
    firstName: "Imported",
    lastName: `Patient${i}`,
    dateOfBirth: "1990-06-15",
    email: `p${i}@example.test`,
    mobilePhone: "+15550100",
    smsConsent: "yes",
    ...extra,
  };
}

describe("ADMIN-3: staff add and edit patients", () => {
  it("ADMIN-3 ADMIN-5: front desk adds a patient; the Patient File shows the details and date of birth", async () => {
    const { a, chat } = world;
    const { patientId } = await chat.addPatient(a.frontDesk, details);
    const file = await chat.patientFile(a.frontDesk, { patientId });
    expect(file).toMatchObject({
      person: { kind: "patient", id: patientId, name: "Nora Newcomer", dateOfBirth: "1984-03-12" },
      email: "nora@example.test",
      mobilePhone: "+15550100199",
      smsConsent: true,
      hostId: "EHR-100",
      portalAccount: "none",
    });
    const audit = await lastAudit(world, a.clinicId);
    expect(audit).toMatchObject({ action: "patient.read" });
    const added = (await auditTrail(world, a.clinicId)).find((e) => e.action === "patient.add");
    expect(added).toMatchObject({ outcome: "success", subject: { kind: "patient", id: patientId } });
    expect(JSON.stringify(await auditTrail(world, a.clinicId))).not.toContain("Nora");
  });

  it("ADMIN-3: the domain refuses each bad field by name, writing nothing", async () => {
    const { a, chat } = world;
    const before = dumpWithoutAudit(world);
    const cases: [Partial<typeof details>, string, string][] = [
      [{ name: "   " }, "name", "missing"],
      [{ dateOfBirth: "1984-02-30" }, "dateOfBirth", "not_a_date"],
      [{ dateOfBirth: "12/03/1984" }, "dateOfBirth", "not_a_date"],
      [{ dateOfBirth: "2030-01-07" }, "dateOfBirth", "not_in_the_past"],
      [{ dateOfBirth: "2031-01-01" }, "dateOfBirth", "not_in_the_past"],
      [{ email: "nora@" }, "email", "not_an_email"],
      [{ mobilePhone: "555-CALL-NOW" }, "mobilePhone", "not_a_mobile_number"],
      [{ mobilePhone: "", smsConsent: true }, "smsConsent", "needs_a_mobile_number"],
    ];
    for (const [change, field, problem] of cases) {
      const error = await refused(chat.addPatient(a.frontDesk, { ...details, ...change }), "INVALID_INPUT");
      expect(error.details).toEqual({ field, problem });
    }
    expect(dumpWithoutAudit(world)).toBe(before);
  });

  it("ADMIN-3: a host id names one patient per clinic; another clinic may use it too (ELIG-5)", async () => {
    const { a, b, chat } = world;
    await chat.addPatient(a.frontDesk, details);
    const error = await refused(chat.addPatient(a.admin, { ...details, name: "Other" }), "INVALID_INPUT");
    expect(error.details).toEqual({ field: "hostId", problem: "taken" });
    await chat.addPatient(b.admin, details);
  });

  it("ADMIN-3: staff edit a patient; the portal account and id stay; a patient cannot", async () => {
    const { a, b, chat } = world;
    const patientId = a.patient.person.id;
    await chat.editPatient(a.practitioner, { patientId, details: { ...details, hostId: null } });
    const file = await chat.patientFile(a.admin, { patientId });
    expect(file).toMatchObject({ person: { name: "Nora Newcomer" }, portalAccount: "active", hostId: null });
    await refused(chat.editPatient(a.patient, { patientId, details }), "FORBIDDEN");
    await refused(chat.editPatient(a.deactivated, { patientId, details }), "STAFF_INACTIVE");
    await refused(chat.editPatient(b.admin, { patientId, details }), "NOT_FOUND");
  });
});

describe("ADMIN-3 ELIG-6: disable and re-enable a portal account", () => {
  it("ELIG-6: a disabled patient can no longer act; re-enabled they can again", async () => {
    const { a, chat } = world;
    const patientId = a.patient.person.id;
    expect(await chat.setPortalAccess(a.frontDesk, { patientId, enabled: false })).toEqual({
      portalAccount: "disabled",
    });
    expect(await lastAudit(world, a.clinicId)).toMatchObject({
      action: "patient.portal_disable",
      subject: { kind: "patient", id: patientId },
    });
    await refused(chat.listConversations(a.patient, { limit: 10 }), "PATIENT_PORTAL_INACTIVE");
    await refused(chat.setPortalAccess(a.frontDesk, { patientId, enabled: false }), "CONFLICT");
    await chat.setPortalAccess(a.admin, { patientId, enabled: true });
    await chat.listConversations(a.patient, { limit: 10 });
    await refused(
      chat.setPortalAccess(a.admin, { patientId: a.patientNone.person.id, enabled: false }),
      "CONFLICT",
    );
  });
});

describe("ADMIN-3: CSV import", () => {
  it("ADMIN-3: the preview tells adds from updates and reports bad rows by row and field, writing nothing", async () => {
    const { a, chat } = world;
    await chat.addPatient(a.frontDesk, { ...details, hostId: "H-2" });
    const before = dumpWithoutAudit(world);
    const preview = await chat.previewPatientImport(a.admin, {
      rows: [
        row(1),
        row(2),
        row(3, { dateOfBirth: "1990-13-01", email: "x" }),
        row(1),
        row(5, { smsConsent: "maybe" }),
      ],
    });
    expect(preview.outcomes).toEqual(["add", "update", "refused", "refused", "refused"]);
    expect(preview.problems).toEqual([
      { row: 3, field: "dateOfBirth", problem: "not_a_date" },
      { row: 3, field: "email", problem: "not_an_email" },
      { row: 4, field: "hostId", problem: "repeated" },
      { row: 5, field: "smsConsent", problem: "not_yes_or_no" },
    ]);
    expect(preview).toMatchObject({ added: 1, updated: 1, refused: 3 });
    expect(dumpWithoutAudit(world)).toBe(before);
  });

  it("ADMIN-3: a bad row refuses the whole import; nothing is half-imported", async () => {
    const { a, chat } = world;
    const before = dumpWithoutAudit(world);
    const error = await refused(
      chat.importPatients(a.admin, { rows: [row(1), row(2, { name: "", firstName: "", lastName: "" })] }),
      "INVALID_INPUT",
    );
    expect(error.details).toEqual({ field: "rows", refusedRows: 1 });
    expect(dumpWithoutAudit(world)).toBe(before);
  });

  it("ADMIN-3: re-import updates by host id instead of duplicating, keeping the portal account", async () => {
    const { a, chat } = world;
    const active = a.patient.person.id;
    await chat.editPatient(a.admin, { patientId: active, details: { ...details, hostId: "H-0" } });
    const rows = Array.from({ length: 20 }, (_, i) => row(i));
    expect(await chat.importPatients(a.admin, { rows })).toEqual({ added: 19, updated: 1 });
    expect(await chat.patientFile(a.admin, { patientId: active })).toMatchObject({
      person: { name: "Imported Patient0" },
      portalAccount: "active",
    });
    const first = await chat.listPatients(a.admin, { limit: 100 });
    const again = rows.map((r) => ({ ...r, lastName: `${r.lastName}-renamed` }));
    expect(await chat.importPatients(a.admin, { rows: again })).toEqual({ added: 0, updated: 20 });
    expect((await chat.patientFile(a.admin, { patientId: active })).portalAccount).toBe("active");
    const second = await chat.listPatients(a.admin, { limit: 100 });
    expect(second.items).toHaveLength(first.items.length);
    expect(second.items.filter((p) => p.person.name.endsWith("-renamed"))).toHaveLength(20);
    expect(second.items.find((p) => p.person.name === "Imported Patient0-renamed")?.person.dateOfBirth).toBe(
      "1990-06-15",
    );
    const trail = JSON.stringify(await auditTrail(world, a.clinicId));
    expect(trail).not.toContain("Imported");
    for (const name of allPatientNames) expect(trail).not.toContain(name);
  });

  it("ADMIN-3: only clinic admins import; limits are enforced", async () => {
    const { a, chat } = world;
    await refused(chat.previewPatientImport(a.frontDesk, { rows: [row(1)] }), "FORBIDDEN");
    await refused(chat.importPatients(a.practitioner, { rows: [row(1)] }), "FORBIDDEN");
    await refused(chat.importPatients(a.patient, { rows: [row(1)] }), "FORBIDDEN");
    await refused(chat.importPatients(a.admin, { rows: [] }), "INVALID_INPUT");
    const tooMany = Array.from({ length: 10_001 }, (_, i) => row(i));
    const error = await refused(chat.previewPatientImport(a.admin, { rows: tooMany }), "INVALID_INPUT");
    expect(error.details).toMatchObject({ problem: "too_many", limit: 10_000 });
  });
});

describe("ADMIN-5: the date of birth wherever staff see a patient", () => {
  it("ADMIN-5: search results, the patient list and appointment views carry the date of birth", async () => {
    const { a, chat } = world;
    await chat.editPatient(a.admin, {
      patientId: a.patient.person.id,
      details: { ...details, name: "Pat Searchable", hostId: null },
    });
    const found = await chat.searchPeople(a.frontDesk, {
      query: "pat searchable",
      kind: "patient",
      limit: 5,
    });
    expect(found[0]?.person).toMatchObject({ id: a.patient.person.id, dateOfBirth: "1984-03-12" });
    const list = await chat.listPatients(a.frontDesk, { limit: 100 });
    expect(list.items.find((p) => p.person.id === a.patient.person.id)?.person.dateOfBirth).toBe(
      "1984-03-12",
    );
  });
});
