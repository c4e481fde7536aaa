import type { Bundle } from "@medplum/fhirtypes";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, startAuthApi } from "./support/authApi";
import {
  appointmentResource,
  connectHost,
  patientResource,
  practitionerResource,
  tokenFor,
  transaction,
} from "./support/fhirHost";
import { enrolStaff } from "./support/signInFlows";

// INTEG-2 and SEC-6: bad input to the FHIR endpoint is answered with an OperationOutcome whose
// issue names the element by its FHIR path, and nothing is written (a transaction is all or nothing).

let api: AuthApi;
let bearer: string;
beforeAll(async () => {
  api = await startAuthApi();
  const admin = api.browser();
  await enrolStaff(api, admin, api.world.a.admin);
  const host = await connectHost(api, admin);
  const token = await tokenFor(api, host.clientId, host.clientSecret);
  bearer = ((await token.json()) as { access_token: string }).access_token;
  // One practitioner and one patient the bad appointments can otherwise name correctly.
  await send("PUT", "/Practitioner?identifier=urn:host:staff|S-0", practitionerResource(0));
  await send("PUT", "/Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|H-0", patientResource(0));
}, 120_000);
afterAll(async () => {
  await api.close();
});

async function send(method: string, path: string, body: unknown) {
  const response = await fetch(`${api.url}/fhir/R4${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/fhir+json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: (await response.json()) as { resourceType?: string; issue?: { expression?: string[] }[] },
  };
}

async function rowCounts(): Promise<unknown> {
  const result =
    await sql`select (select count(*)::int from patients) as p, (select count(*)::int from staff) as s,
    (select count(*)::int from appointments) as a`.execute(api.owner);
  return result.rows[0];
}

/** Sends `body`, expects a refusal naming `expression`, and that no row was added or changed. */
async function refusedNaming(
  method: string,
  path: string,
  body: unknown,
  expression: string,
  status?: number,
) {
  const before = await rowCounts();
  const answer = await send(method, path, body);
  expect(answer.type).toContain("application/fhir+json");
  expect(answer.body.resourceType).toBe("OperationOutcome");
  if (status) expect(answer.status).toBe(status);
  else expect([400, 422]).toContain(answer.status);
  const expressions = (answer.body.issue ?? []).flatMap((i) => i.expression ?? []);
  expect(expressions).toContain(expression);
  expect(await rowCounts()).toEqual(before);
}

const wrongValue = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string(), fc.integer()),
  fc.constant([]),
);

describe("INTEG-2: bad input names the element and writes nothing", () => {
  it("INTEG-2 SEC-6: a Patient element of the wrong type is named by its path", async () => {
    const elements = fc.constantFrom("identifier", "name", "birthDate", "telecom");
    await fc.assert(
      fc.asyncProperty(elements, wrongValue, fc.nat(999), async (element, value, i) => {
        fc.pre(!(element === "telecom" && (value === null || Array.isArray(value))));
        const body = { ...patientResource(100 + i), [element]: value };
        await refusedNaming(
          "PUT",
          `/Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|H-${100 + i}`,
          body,
          `Patient.${element}`,
          400,
        );
      }),
      { numRuns: 25 },
    );
  });

  it("INTEG-2: a missing identifier, or one the condition does not name, is refused at Patient.identifier", async () => {
    const { identifier: _gone, ...bare } = patientResource(1);
    await refusedNaming(
      "PUT",
      "/Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|H-1",
      bare,
      "Patient.identifier",
      400,
    );
    await refusedNaming(
      "PUT",
      "/Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|H-2",
      patientResource(1),
      "Patient.identifier",
      422,
    );
    await refusedNaming("PUT", "/Patient", patientResource(1), "Patient.identifier", 400);
  });

  it("INTEG-2 ELIG-5: an appointment naming an unknown patient or practitioner is refused at that participant", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== "" && !s.includes("|")),
        async (unknown) => {
          const good = appointmentResource(0, api.clock.now());
          const patientIsUnknown = {
            ...good,
            participant: [
              { actor: { type: "Patient", identifier: { value: `X-${unknown}` } } },
              good.participant[1],
            ],
          };
          await refusedNaming(
            "PUT",
            "/Appointment?identifier=urn:host:appointment|A-0",
            patientIsUnknown,
            "Appointment.participant[0].actor",
            422,
          );
        },
      ),
      { numRuns: 15 },
    );
  });

  it("INTEG-2: one bad entry refuses the whole transaction, named by its entry", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 49 }),
        fc.constantFrom("birthDate", "name"),
        async (bad, element) => {
          const patients = Array.from({ length: 50 }, (_, i) => patientResource(200 + i));
          const bundle = transaction(patients);
          const entry = bundle.entry![bad]!;
          const resource = {
            ...entry.resource,
            [element]: element === "birthDate" ? "31/02/1990" : [{ text: "" }],
          };
          bundle.entry![bad] = { ...entry, resource } as Bundle["entry"] extends (infer E)[] | undefined
            ? E
            : never;
          await refusedNaming("POST", "", bundle, `Bundle.entry[${bad}].resource.${element}`);
        },
      ),
      { numRuns: 10 },
    );
  });

  it("INTEG-2: an oversized transaction is refused as too costly at Bundle.entry", async () => {
    const patients = Array.from({ length: 5001 }, (_, i) => patientResource(1000 + i));
    await refusedNaming("POST", "", transaction(patients), "Bundle.entry", 413);
  });
});
