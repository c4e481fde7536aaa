import type { Appointment, Bundle, Patient, Practitioner, Resource } from "@medplum/fhirtypes";
import { Client, type FhirResource } from "fhir-kit-client";
import type { AuthApi, Browser } from "./authApi";
import { authOrigin } from "./authApi";

// A host system (a practice-management system) as it talks to Clinic Chat's FHIR endpoint: an
// admin makes a credential in Clinic Settings › Integrations, the host gets a bearer token by
// OAuth2 client credentials and uses a real FHIR client library.

export const patientSystem = "urn:oid:1.2.36.146.595.217.0.1";
export const staffSystem = "urn:host:staff";
export const appointmentSystem = "urn:host:appointment";
const hour = 3_600_000;

export interface HostConnection {
  readonly client: Client;
  readonly credentialId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Asks the token endpoint for a bearer token (client_secret_basic). */
export async function tokenFor(api: AuthApi, clientId: string, clientSecret: string): Promise<Response> {
  return fetch(`${api.url}/fhir/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
    },
    body: "grant_type=client_credentials",
  });
}

/** An admin makes a credential; the host connects with it. */
export async function connectHost(
  api: AuthApi,
  admin: Browser,
  name = "Practice system",
): Promise<HostConnection> {
  const made = await admin.trpc.integration.createCredential.mutate({ name });
  const response = await tokenFor(api, made.clientId, made.clientSecret);
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
  const token = (await response.json()) as { access_token: string };
  const client = new Client({ baseUrl: `${api.url}/fhir/R4`, bearerToken: token.access_token });
  return {
    client,
    credentialId: made.credential.id,
    clientId: made.clientId,
    clientSecret: made.clientSecret,
  };
}

export function patientResource(i: number, name = `Hostpatient${i} Fhirload`): Patient {
  const [given, family] = name.split(" ");
  return {
    resourceType: "Patient",
    identifier: [
      { system: "urn:other:ssn", value: `SSN-${i}` },
      { system: patientSystem, value: `H-${i}` },
    ],
    name: [{ use: "official", given: [given!], family: family! }],
    birthDate: `19${String(50 + (i % 50)).padStart(2, "0")}-0${(i % 9) + 1}-1${i % 10}`,
    telecom: [
      { system: "email", value: `host${i}@example.test` },
      { system: "phone", use: "mobile", value: `+1555020${String(i).padStart(4, "0")}` },
    ],
    gender: i % 2 === 0 ? "female" : "male",
  };
}

export function practitionerResource(i: number): Practitioner {
  return {
    resourceType: "Practitioner",
    identifier: [{ system: staffSystem, value: `S-${i}` }],
    name: [{ text: `Doctor${i} Hostload` }],
    telecom: [{ system: "email", value: `doctor${i}@host.example.test` }],
  };
}

export function appointmentResource(
  i: number,
  from: Date,
  status: Appointment["status"] = "booked",
): Appointment {
  const start = from.getTime() + 24 * hour + (i % 28) * 24 * hour + (i % 8) * hour;
  return {
    resourceType: "Appointment",
    identifier: [{ system: appointmentSystem, value: `A-${i}` }],
    status,
    start: new Date(start).toISOString(),
    end: new Date(start + hour / 2).toISOString(),
    participant: [
      {
        status: "accepted",
        actor: { type: "Patient", identifier: { system: patientSystem, value: `H-${i % 1000}` } },
      },
      { status: "accepted", actor: { reference: `Practitioner?identifier=${staffSystem}|S-${i % 20}` } },
    ],
  };
}

/** The system of each resource type's host ids. */
const systems: Record<string, string> = {
  Patient: patientSystem,
  Practitioner: staffSystem,
  Appointment: appointmentSystem,
};

/** A transaction Bundle of conditional updates by the host's identifier. */
export function transaction(resources: (Patient | Practitioner | Appointment)[]): Bundle {
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: resources.map((resource) => {
      const system = systems[resource.resourceType]!;
      const value = resource.identifier?.find((i) => i.system === system)?.value;
      return {
        resource,
        request: { method: "PUT", url: `${resource.resourceType}?identifier=${system}|${value}` },
      };
    }),
  };
}

/** A resource as the client library types its bodies (its type is an open record). */
export function fhir(resource: Resource): FhirResource {
  return resource as unknown as FhirResource;
}

/** A Bundle the client library answered. */
export function bundleOf(answer: FhirResource): Bundle {
  return answer as unknown as Bundle;
}

/** A failed call's status and OperationOutcome, as the client library reports it. */
export async function failureOf(
  call: Promise<unknown>,
): Promise<{ status: number; data: Resource & { issue?: { code: string; expression?: string[] }[] } }> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: { status: number; data: never } }).response;
    if (response) return response;
    throw error;
  }
  throw new Error("the call succeeded");
}

export { authOrigin };
