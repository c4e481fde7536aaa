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

/** A staff member as the host system records them (INTEG-2); the host never makes an admin. */
export interface HostPractitioner extends HostItem {
  readonly hostId: string;
  readonly name: string;
  readonly email: string;
  readonly role: "practitioner" | "staff";
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
    const role = before?.role === "admin" ? "admin" : item.role;
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
