import type { PatientImportRow } from "../people/patients/importPatients";
import { judgePatientRows } from "../people/patients/patientRows";
import type { Patient, StaffMember } from "../people/people";
import type { Ids } from "../shared/ports";
import type { Stores } from "../shared/UnitOfWork";

/** Where an item stood in the caller's request, so its problems name it there. */
export interface HostItem {
  readonly at: number;
}

/** A patient as the host system records it (INTEG-2). No SMS consent, no portal state: those are Clinic Chat's. */
export interface HostPatient extends HostItem {
  readonly hostId: string;
  readonly name: string;
  readonly dateOfBirth: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
}

/** The roles the host system gives staff (INTEG-2); the host never makes an admin. */
export type HostStaffRole = "practitioner" | "staff";

/**
 * A staff member as the host system records them (INTEG-2). `role` null: not said here (it comes
 * from a PractitionerRole, see {@link HostRole}); a new member is then a practitioner, an
 * existing one keeps theirs.
 */
export interface HostPractitioner extends HostItem {
  readonly hostId: string;
  readonly name: string;
  readonly email: string;
  readonly role: HostStaffRole | null;
}

/** A staff member's role as the host system records it apart from the person (a PractitionerRole). */
export interface HostRole extends HostItem {
  readonly practitionerHostId: string;
  readonly role: HostStaffRole;
}

/** One refused field of one item, by the item's place in the request; a code, never the value (SEC-5). */
export interface HostProblem {
  readonly at: number;
  readonly field: string;
  readonly problem: string;
}

/** What recording one item did. */
export type HostOutcome = "add" | "update" | "unchanged";

/** One recorded item: its place in the request, Clinic Chat's id and what was done. */
export interface HostResult {
  readonly at: number;
  readonly id: string;
  readonly outcome: HostOutcome;
}

/** The limits of the host's staff records. */
export const hostStaffLimits = { name: 200, email: 254, hostId: 64 } as const;

const emailShape = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Patients through the CSV import's own judgement, with consent and portal state kept (INTEG-2). */
export async function judgeHostPatients(
  stores: Stores,
  deps: { ids: Ids; clock: { now(): Date } },
  clinicId: string,
  items: readonly HostPatient[],
): Promise<{
  problems: HostProblem[];
  changed: Patient[];
  results: HostResult[];
  byHostId: Map<string, Patient>;
}> {
  const byHostId = new Map<string, Patient>();
  if (items.length === 0) return { problems: [], changed: [], results: [], byHostId };
  const rows: PatientImportRow[] = items.map((item) => ({
    hostId: item.hostId,
    name: item.name,
    dateOfBirth: item.dateOfBirth,
    email: item.email ?? "",
    mobilePhone: item.mobilePhone ?? "",
  }));
  const judged = await judgePatientRows(stores, deps, clinicId, rows, "kept");
  const problems = judged.preview.problems.map((p) => ({
    at: items[p.row - 1]!.at,
    field: p.field,
    problem: p.problem,
  }));
  const changedIds = new Set(judged.changed.map((p) => p.id));
  const results: HostResult[] = [];
  judged.patients.forEach((patient, index) => {
    if (!patient) return;
    const outcome =
      judged.preview.outcomes[index] === "add" ? "add" : changedIds.has(patient.id) ? "update" : "unchanged";
    results.push({ at: items[index]!.at, id: patient.id, outcome });
    if (patient.hostId) byHostId.set(patient.hostId, patient);
  });
  return { problems, changed: judged.changed, results, byHostId };
}

/** Staff by the host's ids: added, or updated keeping their id, standing and preferences (INTEG-2). */
export async function judgeHostStaff(
  stores: Stores,
  deps: { ids: Ids },
  clinicId: string,
  items: readonly HostPractitioner[],
): Promise<{
  problems: HostProblem[];
  changed: StaffMember[];
  results: HostResult[];
  byHostId: Map<string, StaffMember>;
}> {
  const byHostId = new Map<string, StaffMember>();
  if (items.length === 0) return { problems: [], changed: [], results: [], byHostId };
  const existing = new Map(
    (await stores.integration.staffByHostIds([...new Set(items.map((i) => i.hostId.trim()))])).map((s) => [
      s.hostId,
      s,
    ]),
  );
  const problems: HostProblem[] = [];
  const changed: StaffMember[] = [];
  const results: HostResult[] = [];
  for (const item of items) {
    const refuse = (field: string, problem: string) => problems.push({ at: item.at, field, problem });
    const hostId = item.hostId.trim();
    const name = item.name.trim().replace(/\s+/g, " ");
    const email = item.email.trim().toLowerCase();
    if (hostId === "") refuse("hostId", "missing");
    else if ([...hostId].length > hostStaffLimits.hostId) refuse("hostId", "too_long");
    else if (byHostId.has(hostId)) refuse("hostId", "repeated");
    if (name === "") refuse("name", "missing");
    else if ([...name].length > hostStaffLimits.name) refuse("name", "too_long");
    if (email === "") refuse("email", "missing");
    else if (email.length > hostStaffLimits.email || !emailShape.test(email)) refuse("email", "not_an_email");
    if (problems.some((p) => p.at === item.at)) continue;
    const before = existing.get(hostId);
    // An admin stays an admin: the host names practitioners and staff, the clinic its admins.
    const role = before?.role === "admin" ? "admin" : (item.role ?? before?.role ?? "practitioner");
    const member: StaffMember = before
      ? { ...before, name, email, role }
      : {
          id: deps.ids.newId(),
          clinicId,
          name,
          email,
          role,
          active: true,
          availableForPatientChat: true,
          emailNotifications: true,
          hostId,
        };
    byHostId.set(hostId, member);
    const same = before && before.name === name && before.email === email && before.role === role;
    if (!same) changed.push(member);
    results.push({ at: item.at, id: member.id, outcome: !before ? "add" : same ? "unchanged" : "update" });
  }
  return { problems, changed, results, byHostId };
}

/**
 * Roles by the host's practitioner ids (INTEG-2): the practitioner recorded in the same call or
 * before; unknown (or another clinic's, ELIG-5) is a problem. An admin stays an admin. Updates
 * `staff` (the call's members by host id) and `changed` in place, so the call's appointments see
 * the role and each member is saved once.
 */
export async function judgeHostRoles(
  stores: Stores,
  items: readonly HostRole[],
  staff: Map<string, StaffMember>,
  changed: StaffMember[],
): Promise<{ problems: HostProblem[]; results: HostResult[] }> {
  if (items.length === 0) return { problems: [], results: [] };
  const wanted = items.map((i) => i.practitionerHostId.trim()).filter((id) => !staff.has(id));
  for (const member of await stores.integration.staffByHostIds([...new Set(wanted)]))
    if (member.hostId) staff.set(member.hostId, member);
  const problems: HostProblem[] = [];
  const results: HostResult[] = [];
  for (const item of items) {
    const hostId = item.practitionerHostId.trim();
    const before = hostId === "" ? undefined : staff.get(hostId);
    if (!before) {
      problems.push({ at: item.at, field: "practitioner", problem: hostId === "" ? "missing" : "unknown" });
      continue;
    }
    const role = before.role === "admin" ? "admin" : item.role;
    if (role === before.role) {
      results.push({ at: item.at, id: before.id, outcome: "unchanged" });
      continue;
    }
    const member: StaffMember = { ...before, role };
    staff.set(hostId, member);
    const index = changed.findIndex((m) => m.id === member.id);
    if (index >= 0) changed[index] = member;
    else changed.push(member);
    results.push({ at: item.at, id: member.id, outcome: "update" });
  }
  return { problems, results };
}
