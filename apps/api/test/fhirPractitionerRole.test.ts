import type { Bundle, CapabilityStatement, Practitioner, PractitionerRole } from "@medplum/fhirtypes";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, type Browser, startAuthApi } from "./support/authApi";
import {
  bundleOf,
  connectHost,
  failureOf,
  fhir,
  type HostConnection,
  practitionerResource,
  staffSystem,
} from "./support/fhirHost";
import { enrolStaff } from "./support/signInFlows";

// INTEG-2: a practitioner's role in the clinic comes from a PractitionerRole (PUT by identifier or
// in a transaction), naming the Practitioner by the host's identifier; the staff-role extension on
// the Practitioner stays an accepted alternative. Sent through a real FHIR client library.

const roleSystem = "urn:host:role";
const hl7Roles = "http://terminology.hl7.org/CodeSystem/practitioner-role";
const clinicChatRoles = "https://clinic-chat.app/fhir/CodeSystem/staff-role";

let api: AuthApi;
let host: HostConnection;
let adminB: Browser;
beforeAll(async () => {
  api = await startAuthApi();
  const admin = api.browser();
  await enrolStaff(api, admin, api.world.a.admin);
  adminB = api.browser();
  await enrolStaff(api, adminB, api.world.b.admin);
  host = await connectHost(api, admin);
}, 120_000);
afterAll(async () => {
  await api.close();
});

function roleResource(i: number, staffHostId: string, system: string, code: string): PractitionerRole {
  return {
    resourceType: "PractitionerRole",
    identifier: [{ system: roleSystem, value: `R-${i}` }],
    practitioner: { reference: `Practitioner?identifier=${staffSystem}|${staffHostId}` },
    code: [{ coding: [{ system, code }] }],
  };
}

async function roleOf(hostId: string): Promise<string | undefined> {
  const rows = await sql<{ role: string }>`select role from staff where host_id = ${hostId}`.execute(
    api.owner,
  );
  return rows.rows[0]?.role;
}

const putPractitioner = (client: HostConnection["client"], body: Practitioner, hostId: string) =>
  client.update({
    resourceType: "Practitioner",
    searchParams: { identifier: `${staffSystem}|${hostId}` },
    body: fhir(body),
  });
const putRole = (client: HostConnection["client"], body: PractitionerRole) =>
  client.update({
    resourceType: "PractitionerRole",
    searchParams: { identifier: `${roleSystem}|${body.identifier?.[0]?.value}` },
    body: fhir(body),
  });

describe("INTEG-2: roles from PractitionerRole", () => {
  it("INTEG-2: the CapabilityStatement lists PractitionerRole as a conditional update", async () => {
    const statement = (await host.client.capabilityStatement()) as unknown as CapabilityStatement;
    const role = statement.rest?.[0]?.resource?.find((r) => r.type === "PractitionerRole");
    expect(role).toMatchObject({ conditionalUpdate: true, interaction: [{ code: "update" }] });
    expect(role?.documentation).toContain(hl7Roles);
  });

  it("INTEG-2: PUT PractitionerRole?identifier=… sets the role of the practitioner it names; a Practitioner sent again without a role keeps it", async () => {
    await putPractitioner(host.client, practitionerResource(1), "S-1");
    expect(await roleOf("S-1")).toBe("practitioner");
    const [staff] = (await sql<{ id: string }>`select id from staff where host_id = 'S-1'`.execute(api.owner))
      .rows;
    const answered = await putRole(host.client, roleResource(1, "S-1", hl7Roles, "nurse"));
    expect(answered).toMatchObject({ resourceType: "PractitionerRole", id: staff!.id });
    expect(await roleOf("S-1")).toBe("staff");
    await putPractitioner(
      host.client,
      { ...practitionerResource(1), name: [{ text: "Renamed Nurse" }] },
      "S-1",
    );
    expect(await roleOf("S-1")).toBe("staff");
    await putRole(host.client, roleResource(1, "S-1", clinicChatRoles, "practitioner"));
    expect(await roleOf("S-1")).toBe("practitioner");
  });

  it("INTEG-2: in a transaction, a PractitionerRole may name a Practitioner of the same Bundle", async () => {
    const bundle: Bundle = {
      resourceType: "Bundle",
      type: "transaction",
      entry: [
        {
          resource: practitionerResource(2),
          request: { method: "PUT", url: `Practitioner?identifier=${staffSystem}|S-2` },
        },
        {
          resource: roleResource(2, "S-2", hl7Roles, "pharmacist"),
          request: { method: "PUT", url: `PractitionerRole?identifier=${roleSystem}|R-2` },
        },
      ],
    };
    const answer = bundleOf(await host.client.transaction({ body: fhir(bundle) }));
    const [staff] = (await sql<{ id: string }>`select id from staff where host_id = 'S-2'`.execute(api.owner))
      .rows;
    expect(answer.entry?.map((e) => e.response)).toEqual([
      { status: "201 Created", location: `Practitioner/${staff!.id}` },
      { status: "200 OK", location: `PractitionerRole/${staff!.id}` },
    ]);
    expect(await roleOf("S-2")).toBe("staff");
  });

  it("INTEG-2: the staff-role extension on the Practitioner is still accepted", async () => {
    await putPractitioner(
      host.client,
      {
        ...practitionerResource(3),
        extension: [
          { url: "https://clinic-chat.app/fhir/StructureDefinition/staff-role", valueCode: "staff" },
        ],
      },
      "S-3",
    );
    expect(await roleOf("S-3")).toBe("staff");
  });

  it("INTEG-2 ELIG-5: bad roles are OperationOutcomes naming the element, and write nothing", async () => {
    const cases: [PractitionerRole | Record<string, unknown>, string, number][] = [
      [roleResource(4, "S-unknown", hl7Roles, "nurse"), "PractitionerRole.practitioner", 422],
      [roleResource(4, "S-1", hl7Roles, "wizard"), "PractitionerRole.code", 422],
      [{ ...roleResource(4, "S-1", hl7Roles, "nurse"), code: "nurse" }, "PractitionerRole.code", 400],
      [
        { ...roleResource(4, "S-1", hl7Roles, "nurse"), practitioner: {} },
        "PractitionerRole.practitioner",
        422,
      ],
      [{ ...roleResource(4, "S-1", hl7Roles, "nurse"), identifier: [] }, "PractitionerRole.identifier", 400],
    ];
    for (const [body, expression, status] of cases) {
      const refused = await failureOf(
        host.client.update({
          resourceType: "PractitionerRole",
          searchParams: { identifier: `${roleSystem}|R-4` },
          body: fhir(body as PractitionerRole),
        }),
      );
      expect({ status: refused.status, type: refused.data.resourceType }).toEqual({
        status,
        type: "OperationOutcome",
      });
      expect(refused.data.issue?.map((i) => i.expression)).toEqual([[expression]]);
    }
    expect(await roleOf("S-1")).toBe("practitioner");

    const bundle: Bundle = {
      resourceType: "Bundle",
      type: "transaction",
      entry: [
        {
          resource: practitionerResource(5),
          request: { method: "PUT", url: `Practitioner?identifier=${staffSystem}|S-5` },
        },
        {
          resource: roleResource(5, "S-nobody", hl7Roles, "nurse"),
          request: { method: "PUT", url: `PractitionerRole?identifier=${roleSystem}|R-5` },
        },
      ],
    };
    const refused = await failureOf(host.client.transaction({ body: fhir(bundle) }));
    expect(refused.status).toBe(422);
    expect(refused.data.issue).toEqual([
      expect.objectContaining({ code: "not-found", expression: ["Bundle.entry[1].resource.practitioner"] }),
    ]);
    expect(await roleOf("S-5")).toBeUndefined();

    // Another clinic's credential cannot reach clinic A's practitioner.
    const other = await connectHost(api, adminB, "Other clinic's system");
    const foreign = await failureOf(putRole(other.client, roleResource(6, "S-1", hl7Roles, "nurse")));
    expect(foreign.status).toBe(422);
    expect(await roleOf("S-1")).toBe("practitioner");
  });
});
