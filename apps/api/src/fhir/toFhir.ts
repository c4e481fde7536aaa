import type { HostRecord } from "@clinic-chat/domain/integration";
import type { Appointment, Bundle, ContactPoint, Patient, Practitioner, Resource } from "@medplum/fhirtypes";
import { staffRoleExtension } from "./hostItems";
import type { IdentifierToken } from "./identifiers";

function identifierOf(value: string | null | undefined, token: IdentifierToken | null) {
  return value ? [{ ...(token?.system ? { system: token.system } : {}), value }] : [];
}

/** A record as the FHIR resource the host reads back; identifiers carry the system it asked by. */
export function resourceOf(
  record: HostRecord,
  token: IdentifierToken | null,
): Patient | Practitioner | Appointment {
  if (record.kind === "patient") {
    const p = record.patient;
    const telecom: ContactPoint[] = [];
    if (p.email) telecom.push({ system: "email", value: p.email });
    if (p.mobilePhone) telecom.push({ system: "phone", use: "mobile", value: p.mobilePhone });
    return {
      resourceType: "Patient",
      id: p.id,
      identifier: identifierOf(p.hostId, token),
      name: [{ text: p.name }],
      ...(p.dateOfBirth ? { birthDate: p.dateOfBirth } : {}),
      ...(telecom.length > 0 ? { telecom } : {}),
    };
  }
  if (record.kind === "practitioner") {
    const s = record.staff;
    return {
      resourceType: "Practitioner",
      id: s.id,
      identifier: identifierOf(s.hostId, token),
      active: s.active,
      name: [{ text: s.name }],
      telecom: [{ system: "email", value: s.email }],
      extension: [{ url: staffRoleExtension, valueCode: s.role }],
    };
  }
  const a = record.appointment;
  const status = a.status === "scheduled" ? "booked" : a.status === "completed" ? "fulfilled" : "cancelled";
  return {
    resourceType: "Appointment",
    id: a.id,
    identifier: identifierOf(a.hostId, token),
    status,
    start: a.startsAt.toISOString(),
    end: a.endsAt.toISOString(),
    participant: [
      {
        status: "accepted",
        actor: {
          reference: `Patient/${a.patientId}`,
          type: "Patient",
          ...(record.patientHostId ? { identifier: { value: record.patientHostId } } : {}),
        },
      },
      {
        status: "accepted",
        actor: {
          reference: `Practitioner/${a.practitionerId}`,
          type: "Practitioner",
          ...(record.practitionerHostId ? { identifier: { value: record.practitionerHostId } } : {}),
        },
      },
    ],
  };
}

/** A searchset Bundle of what a search found. */
export function searchset(resources: Resource[]): Bundle {
  return {
    resourceType: "Bundle",
    type: "searchset",
    total: resources.length,
    entry: resources.map((resource) => ({ resource, search: { mode: "match" } })),
  };
}
