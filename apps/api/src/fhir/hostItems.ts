import type {
  HostAppointment,
  HostPatient,
  HostPractitioner,
  HostProblem,
  HostRole,
} from "@clinic-chat/domain/integration";
import { type IdentifierToken, matchingIdentifier, parseIdentifierToken } from "./identifiers";
import type { FhirPatientInput, FhirResourceInput } from "./schemas";
import { staffRoleOf } from "./staffRoles";

/** The Clinic Chat extension naming a Practitioner's role in the clinic (`practitioner` or `staff`). */
export const staffRoleExtension = "https://clinic-chat.app/fhir/StructureDefinition/staff-role";

/** Where each item of a call stands in FHIR terms, so a problem names the element (INTEG-2). */
export interface ItemPlace {
  /** `Patient` for a single PUT, `Bundle.entry[3].resource` in a transaction. */
  readonly base: string;
  readonly resourceType: "Patient" | "Practitioner" | "PractitionerRole" | "Appointment";
  readonly patientParticipant?: number;
  readonly practitionerParticipant?: number;
}

/** What a call gathers: the domain's items and the place of each. */
export interface Gathered {
  readonly records: {
    patients: HostPatient[];
    practitioners: HostPractitioner[];
    appointments: HostAppointment[];
    roles: HostRole[];
  };
  readonly places: ItemPlace[];
  /** Problems found before the domain is asked (the identifier of the condition, a reference's shape). */
  readonly problems: HostProblem[];
}

export function emptyGathered(): Gathered {
  return {
    records: { patients: [], practitioners: [], appointments: [], roles: [] },
    places: [],
    problems: [],
  };
}

function nameOf(names: FhirPatientInput["name"]): string {
  const name = names.find((n) => n.use === "official") ?? names[0];
  if (!name) return "";
  return name.text?.trim() || [...(name.given ?? []), name.family ?? ""].join(" ").trim();
}

function telecomOf(telecom: FhirPatientInput["telecom"], system: string, use?: string): string | null {
  const found = (telecom ?? []).find((t) => t.system === system && (use === undefined || t.use === use));
  return found?.value ?? null;
}

/** Adds one validated resource to the call, as the domain's item, with its place. */
export function gather(
  into: Gathered,
  base: string,
  resource: FhirResourceInput,
  condition: IdentifierToken | null,
): void {
  const at = into.places.length;
  const hostId = matchingIdentifier(resource.identifier, condition) ?? "";
  if (hostId === "")
    into.problems.push({ at, field: "hostId", problem: condition ? "not_the_condition" : "missing" });
  if (resource.resourceType === "Patient") {
    into.places.push({ base, resourceType: "Patient" });
    into.records.patients.push({
      at,
      hostId,
      name: nameOf(resource.name),
      dateOfBirth: resource.birthDate,
      email: telecomOf(resource.telecom, "email"),
      mobilePhone: telecomOf(resource.telecom, "phone", "mobile") ?? telecomOf(resource.telecom, "sms"),
    });
    return;
  }
  if (resource.resourceType === "Practitioner") {
    into.places.push({ base, resourceType: "Practitioner" });
    // The role may come with the person (the extension) or apart from it (a PractitionerRole).
    const role = resource.extension?.find((e) => e.url === staffRoleExtension)?.valueCode ?? null;
    if (role !== null && role !== "practitioner" && role !== "staff")
      into.problems.push({ at, field: "role", problem: "unknown" });
    into.records.practitioners.push({
      at,
      hostId,
      name: nameOf(resource.name),
      email: telecomOf(resource.telecom, "email") ?? "",
      role: role === "staff" || role === "practitioner" ? role : null,
    });
    return;
  }
  if (resource.resourceType === "PractitionerRole") {
    into.places.push({ base, resourceType: "PractitionerRole" });
    const practitioner = actorOf(resource.practitioner);
    const role = staffRoleOf(resource.code);
    if (practitioner?.type !== "Practitioner" || practitioner.hostId === "")
      into.problems.push({ at, field: "practitioner", problem: "missing" });
    if (!role) into.problems.push({ at, field: "role", problem: "not_a_staff_role" });
    into.records.roles.push({
      at,
      practitionerHostId: practitioner?.hostId ?? "",
      role: role ?? "practitioner",
    });
    return;
  }
  const actors = resource.participant.map((p) => actorOf(p.actor));
  const patientParticipant = actors.findIndex((a) => a?.type === "Patient");
  const practitionerParticipant = actors.findIndex((a) => a?.type === "Practitioner");
  into.places.push({ base, resourceType: "Appointment", patientParticipant, practitionerParticipant });
  if (patientParticipant < 0) into.problems.push({ at, field: "patient", problem: "missing" });
  if (practitionerParticipant < 0) into.problems.push({ at, field: "practitioner", problem: "missing" });
  into.records.appointments.push({
    at,
    hostId,
    patientHostId: actors[patientParticipant]?.hostId ?? "",
    practitionerHostId: actors[practitionerParticipant]?.hostId ?? "",
    startsAt: new Date(resource.start),
    endsAt: new Date(resource.end),
    status: statusOf(resource.status),
  });
}

/** A participant names a person by the host's identifier: logically, or as a conditional reference. */
function actorOf(
  actor:
    | {
        reference?: string | undefined;
        type?: string | undefined;
        identifier?: { value?: string | undefined } | undefined;
      }
    | undefined,
): { type: "Patient" | "Practitioner"; hostId: string } | null {
  if (!actor) return null;
  const conditional = /^(Patient|Practitioner)\?identifier=(.+)$/.exec(actor.reference ?? "");
  const type = conditional?.[1] ?? actor.type;
  if (type !== "Patient" && type !== "Practitioner") return null;
  const token = conditional ? parseIdentifierToken(decodeURIComponent(conditional[2]!)) : null;
  const hostId = token?.value ?? actor.identifier?.value?.trim() ?? "";
  return { type, hostId };
}

function statusOf(
  status: Extract<FhirResourceInput, { resourceType: "Appointment" }>["status"],
): HostAppointment["status"] {
  if (status === "fulfilled") return "completed";
  if (status === "cancelled" || status === "noshow" || status === "entered-in-error") return "cancelled";
  return "scheduled";
}

const patientPaths: Record<string, string> = {
  hostId: "identifier",
  name: "name",
  dateOfBirth: "birthDate",
  email: "telecom",
  mobilePhone: "telecom",
  smsConsent: "telecom",
};
const rolePaths: Record<string, string> = {
  hostId: "identifier",
  practitioner: "practitioner",
  role: "code",
};
const practitionerPaths: Record<string, string> = {
  hostId: "identifier",
  name: "name",
  email: "telecom",
  role: "extension",
};

/** The FHIR path of the element a domain problem names. */
export function expressionOf(place: ItemPlace, field: string): string {
  const base = place.base;
  if (place.resourceType === "Patient") return `${base}.${patientPaths[field] ?? field}`;
  if (place.resourceType === "Practitioner") return `${base}.${practitionerPaths[field] ?? field}`;
  if (place.resourceType === "PractitionerRole") return `${base}.${rolePaths[field] ?? field}`;
  const participant = (index: number | undefined) =>
    index !== undefined && index >= 0 ? `${base}.participant[${index}].actor` : `${base}.participant`;
  if (field === "patient") return participant(place.patientParticipant);
  if (field === "practitioner") return participant(place.practitionerParticipant);
  const paths: Record<string, string> = {
    hostId: "identifier",
    startsAt: "start",
    endsAt: "end",
    status: "status",
  };
  return `${base}.${paths[field] ?? field}`;
}
