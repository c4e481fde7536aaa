import type { Bundle, CapabilityStatement } from "@medplum/fhirtypes";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, type Browser, startAuthApi } from "./support/authApi";
import {
  appointmentResource,
  appointmentSystem,
  bundleOf,
  connectHost,
  failureOf,
  fhir,
  type HostConnection,
  patientResource,
  patientSystem,
  practitionerResource,
  staffSystem,
  tokenFor,
  transaction,
} from "./support/fhirHost";
import { enrolStaff } from "./support/signInFlows";

// INTEG-1 and INTEG-2 end to end: a real FHIR client library loads a clinic's patients,
// practitioners and appointments as a host system would, on the real server and PostgreSQL.

let api: AuthApi;
let admin: Browser;
let nurse: Browser;
let adminB: Browser;
let host: HostConnection;
beforeAll(async () => {
  api = await startAuthApi();
  admin = api.browser();
  await enrolStaff(api, admin, api.world.a.admin);
  nurse = api.browser();
  await enrolStaff(api, nurse, api.world.a.nurse);
  adminB = api.browser();
  await enrolStaff(api, adminB, api.world.b.admin);
  host = await connectHost(api, admin);
}, 120_000);
afterAll(async () => {
  await api.close();
});

/** Every row the host's ids reach, in a stable order: what a repeated load must leave as it is. */
async function hostRows(): Promise<string> {
  const rows = await Promise.all(
    (["patients", "staff", "appointments"] as const).map((table) =>
      sql`select * from ${sql.table(table)} where host_id is not null order by clinic_id, host_id`.execute(
        api.owner,
      ),
    ),
  );
  return JSON.stringify(rows.map((r) => r.rows));
}

async function loadEverything(): Promise<Bundle[]> {
  const from = api.clock.now();
  for (let i = 0; i < 20; i += 1)
    await host.client.update({
      resourceType: "Practitioner",
      searchParams: { identifier: `${staffSystem}|S-${i}` },
      body: fhir(practitionerResource(i)),
    });
  const answers: Bundle[] = [];
  for (let part = 0; part < 2; part += 1) {
    const patients = Array.from({ length: 500 }, (_, i) => patientResource(part * 500 + i));
    answers.push(bundleOf(await host.client.transaction({ body: fhir(transaction(patients)) })));
  }
  for (let part = 0; part < 2; part += 1) {
    const appointments = Array.from({ length: 1000 }, (_, i) => appointmentResource(part * 1000 + i, from));
    answers.push(bundleOf(await host.client.transaction({ body: fhir(transaction(appointments)) })));
  }
  return answers;
}

describe("INTEG-2: a host system loads the clinic through the FHIR endpoint", () => {
  it("INTEG-2: publishes a CapabilityStatement at metadata, with the token endpoint", async () => {
    const statement = (await host.client.capabilityStatement()) as unknown as CapabilityStatement;
    expect(statement.fhirVersion).toBe("4.0.1");
    expect(statement.rest?.[0]?.resource?.map((r) => r.type)).toEqual([
      "Patient",
      "Practitioner",
      "PractitionerRole",
      "Appointment",
      "Communication",
    ]);
    expect(JSON.stringify(statement.rest?.[0]?.security)).toContain("/fhir/token");
  });

  it("INTEG-2: 1,000 patients, 20 practitioners and 2,000 appointments arrive; staff see them; loading again changes nothing", async () => {
    const answers = await loadEverything();
    const statuses = answers.flatMap((b) => b.entry?.map((e) => e.response?.status) ?? []);
    expect(statuses.length).toBe(3000);
    expect(new Set(statuses)).toEqual(new Set(["201 Created"]));
    const counts = await sql<{ p: number; s: number; a: number }>`select
      (select count(*)::int from patients where host_id like 'H-%') as p,
      (select count(*)::int from staff where host_id like 'S-%') as s,
      (select count(*)::int from appointments where host_id like 'A-%') as a`.execute(api.owner);
    expect(counts.rows[0]).toEqual({ p: 1000, s: 20, a: 2000 });

    // The staff app's own use cases show them.
    const location = answers[0]!.entry![7]!.response!.location!;
    const file = await nurse.trpc.patients.get.query({ patientId: location.split("/")[1]! });
    expect(file).toMatchObject({
      person: { name: "Hostpatient7 Fhirload" },
      hostId: "H-7",
      smsConsent: false,
      portalAccount: "none",
    });
    expect(file.appointments.length).toBe(2);
    const from = api.clock.now();
    const book = await nurse.trpc.appointments.list.query({
      from: from.toISOString(),
      to: new Date(from.getTime() + 2 * 86_400_000).toISOString(),
      limit: 500,
    });
    expect(book.length).toBe(Math.ceil(2000 / 28));
    const found = bundleOf(
      await host.client.search({
        resourceType: "Patient",
        searchParams: { identifier: `${patientSystem}|H-7` },
      }),
    );
    expect(found.total).toBe(1);
    expect(found.entry?.[0]?.resource).toMatchObject({
      resourceType: "Patient",
      identifier: [{ system: patientSystem, value: "H-7" }],
    });

    const before = await hostRows();
    const again = await loadEverything();
    expect(new Set(again.flatMap((b) => b.entry?.map((e) => e.response?.status) ?? []))).toEqual(
      new Set(["200 OK"]),
    );
    expect(await hostRows()).toBe(before);
  }, 300_000);

  it("INTEG-2: the host updates a patient and cancels appointments; SMS consent and the portal account stay the clinic's", async () => {
    const [row] = (
      await sql<{ id: string }>`select id from patients where host_id = 'H-3'`.execute(api.owner)
    ).rows;
    await sql`update patients set sms_consent = true, portal_account = 'invited' where id = ${row!.id}`.execute(
      api.owner,
    );
    const updated = await host.client.update({
      resourceType: "Patient",
      searchParams: { identifier: `${patientSystem}|H-3` },
      body: fhir(patientResource(3, "Renamed Byhost")),
    });
    expect(updated).toMatchObject({ id: row!.id });
    const from = api.clock.now();
    const cancelled = [3, 1003, 5, 1005].map((i) => appointmentResource(i, from, "cancelled"));
    await host.client.transaction({ body: fhir(transaction(cancelled)) });
    const file = await nurse.trpc.patients.get.query({ patientId: row!.id });
    expect(file).toMatchObject({
      person: { name: "Renamed Byhost" },
      smsConsent: true,
      portalAccount: "invited",
    });
    expect(file.appointments.map((a) => a.status)).toEqual(["cancelled", "cancelled"]);
    const read = bundleOf(
      await host.client.search({
        resourceType: "Appointment",
        searchParams: { identifier: `${appointmentSystem}|A-3` },
      }),
    );
    expect(read.entry?.[0]?.resource).toMatchObject({ status: "cancelled" });
  });

  it("INTEG-1 ELIG-5: another clinic's credential sees none of it and cannot point at it", async () => {
    const other = await connectHost(api, adminB, "Other clinic's system");
    const found = bundleOf(
      await other.client.search({
        resourceType: "Patient",
        searchParams: { identifier: `${patientSystem}|H-7` },
      }),
    );
    expect(found.total).toBe(0);
    await other.client.update({
      resourceType: "Practitioner",
      searchParams: { identifier: `${staffSystem}|S-1` },
      body: fhir(practitionerResource(1)),
    });
    const refused = await failureOf(
      other.client.update({
        resourceType: "Appointment",
        searchParams: { identifier: `${appointmentSystem}|A-1` },
        body: fhir(appointmentResource(1, api.clock.now())),
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.data.issue).toEqual([
      expect.objectContaining({ code: "not-found", expression: ["Appointment.participant[0].actor"] }),
    ]);
  });

  it("INTEG-1: a revoked credential is refused at once, and at the token endpoint; the audit trail names it, never a patient", async () => {
    const spare = await connectHost(api, admin, "Spare system");
    await spare.client.search({
      resourceType: "Patient",
      searchParams: { identifier: `${patientSystem}|H-1` },
    });
    const listed = await admin.trpc.integration.credentials.query();
    expect(listed.find((c) => c.id === spare.credentialId)?.lastUsedAt).not.toBeNull();
    await admin.trpc.integration.revokeCredential.mutate({ credentialId: spare.credentialId });
    const refused = await failureOf(
      spare.client.search({ resourceType: "Patient", searchParams: { identifier: `${patientSystem}|H-1` } }),
    );
    expect(refused.status).toBe(401);
    expect(refused.data.resourceType).toBe("OperationOutcome");
    expect((await tokenFor(api, spare.clientId, spare.clientSecret)).status).toBe(401);
    expect((await tokenFor(api, host.clientId, "not the secret")).status).toBe(401);
    const audit = await sql<{ action: string; outcome: string }>`select action, outcome from audit_log
      where credential_id = ${spare.credentialId} order by id`.execute(api.owner);
    expect(audit.rows.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      "credential.token:success",
      "host.read:success",
      "host.read:denied",
      "credential.token:denied",
    ]);
    const everything = JSON.stringify((await sql`select * from audit_log`.execute(api.owner)).rows);
    expect(everything).not.toContain("Hostpatient");
    expect(everything).not.toContain("Byhost");
  });
});

describe("INTEG-5: the chart's export through the FHIR endpoint", () => {
  it("INTEG-5: the host fetches a patient's conversation as Communications by the patient's host id; another clinic's credential gets nothing; audited with the credential, no PHI logged", async () => {
    const [row] = (
      await sql<{ id: string }>`select id from patients where host_id = 'H-11'`.execute(api.owner)
    ).rows;
    // The clinic invited the patient to the portal and they joined (the host never sets this).
    await sql`update patients set portal_account = 'active' where id = ${row!.id}`.execute(api.owner);
    const { conversation } = await nurse.trpc.conversations.startWithPatient.mutate({ patientId: row!.id });
    await nurse.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "export-1",
      text: "EXPORT-MARKER your results are normal",
    });
    const logsBefore = api.logs.length;
    const search = (client: HostConnection["client"], token: string) =>
      client
        .search({ resourceType: "Communication", searchParams: { "patient.identifier": token } })
        .then(bundleOf);

    const found = await search(host.client, `${patientSystem}|H-11`);
    expect(found).toMatchObject({ resourceType: "Bundle", type: "searchset", total: 1 });
    expect(found.entry?.[0]?.resource).toMatchObject({
      resourceType: "Communication",
      status: "completed",
      subject: { reference: `Patient/${row!.id}`, identifier: { value: "H-11" } },
      payload: [{ contentString: "EXPORT-MARKER your results are normal" }],
    });
    // A patient the clinic has but who has no conversation, and one it does not have: nothing.
    expect((await search(host.client, `${patientSystem}|H-12`)).total).toBe(0);
    expect((await search(host.client, `${patientSystem}|H-nobody`)).total).toBe(0);

    const other = await connectHost(api, adminB, "Another clinic's chart system");
    const foreign = await search(other.client, `${patientSystem}|H-11`);
    expect(foreign).toMatchObject({ type: "searchset", total: 0 });
    expect(foreign.entry ?? []).toEqual([]);

    const refused = await failureOf(
      host.client.search({ resourceType: "Communication", searchParams: { subject: "Patient/1" } }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.issue).toEqual([expect.objectContaining({ expression: ["Communication.subject"] })]);

    const exports = await sql<{ credential_id: string; conversation_id: string | null; outcome: string }>`
      select credential_id, conversation_id, outcome from audit_log
      where action = 'conversation.export' and actor_id is null order by id`.execute(api.owner);
    expect(exports.rows).toEqual([
      { credential_id: host.credentialId, conversation_id: conversation.id, outcome: "success" },
      { credential_id: host.credentialId, conversation_id: null, outcome: "success" },
      { credential_id: host.credentialId, conversation_id: null, outcome: "success" },
      { credential_id: other.credentialId, conversation_id: null, outcome: "success" },
    ]);
    const logged = api.logs.slice(logsBefore).join("\n");
    expect(logged).not.toContain("EXPORT-MARKER");
    expect(logged).not.toContain("H-11");
  }, 60_000);
});
