import type { ClinicStore } from "../../clinic/ClinicStore";
import type { Directory, DirectoryMatch } from "../../people/Directory";
import type { Patient, StaffMember } from "../../people/people";
import { nameMatchScore } from "../nameMatch";
import type { ClinicView } from "./world";

/** The clinic of the unit of work. */
export function inMemoryClinics(view: ClinicView): ClinicStore {
  const { world, clinicId } = view;
  return {
    async create(clinic) {
      if (clinic.id !== clinicId) throw new Error("clinic outside the unit of work");
      world.clinics.set(clinic.id, clinic);
    },
    async get(id) {
      return id === clinicId ? (world.clinics.get(id) ?? null) : null;
    },
    async saveSettings(id, settings) {
      const clinic = id === clinicId ? world.clinics.get(id) : undefined;
      if (clinic) world.clinics.set(id, { ...clinic, settings });
    },
    async savePlan(id, plan) {
      const clinic = id === clinicId ? world.clinics.get(id) : undefined;
      if (clinic) world.clinics.set(id, { ...clinic, plan });
    },
    async saveOfficeHours(id, officeHours) {
      const clinic = id === clinicId ? world.clinics.get(id) : undefined;
      if (clinic) world.clinics.set(id, { ...clinic, officeHours });
    },
  };
}

/** People of the unit of work's clinic; name search scores like the database's (START-2). */
export function inMemoryDirectory(view: ClinicView): Directory {
  const { world, clinicId, inClinic } = view;
  const search = <T extends { clinicId: string; name: string; id: string }>(
    rows: Iterable<T>,
    query: string,
    limit: number,
  ): DirectoryMatch<T>[] =>
    [...rows]
      .filter((row) => row.clinicId === clinicId)
      .map((person) => ({ person, score: nameMatchScore(person.name, query) }))
      .filter((match) => match.score > 0)
      .sort(
        (a, b) =>
          b.score - a.score ||
          a.person.name.localeCompare(b.person.name) ||
          a.person.id.localeCompare(b.person.id),
      )
      .slice(0, limit);

  // Like the database's unique index: a host id names one patient of the clinic.
  const savePatient = (patient: Patient) => {
    if (patient.clinicId !== clinicId) throw new Error("patient outside the unit of work's clinic");
    const holder = [...world.patients.values()].find(
      (p) =>
        p.clinicId === clinicId && p.hostId != null && p.hostId === patient.hostId && p.id !== patient.id,
    );
    if (holder) throw new Error("host id already names another patient");
    world.patients.set(patient.id, patient);
  };

  return {
    async staffMember(id) {
      return inClinic(world.staff.get(id));
    },
    async patient(id) {
      return inClinic(world.patients.get(id));
    },
    async staffMembers(ids) {
      return ids.map((id) => inClinic(world.staff.get(id))).filter((s): s is StaffMember => s !== null);
    },
    async patients(ids) {
      return ids.map((id) => inClinic(world.patients.get(id))).filter((p): p is Patient => p !== null);
    },
    async searchPatients(query, limit) {
      return search(world.patients.values(), query, limit);
    },
    async searchStaff(query, limit) {
      return search(world.staff.values(), query, limit);
    },
    async listPatients(page) {
      const ordered = [...world.patients.values()]
        .filter((p) => p.clinicId === clinicId && !p.erasure)
        .sort((a, b) => compareByName(a, b));
      const after = page.cursor ? ordered.findIndex((p) => `${p.id}` === page.cursor) : -1;
      const items = ordered.slice(after + 1, after + 1 + page.limit);
      const last = items[items.length - 1];
      return { items, nextCursor: last && after + 1 + page.limit < ordered.length ? last.id : null };
    },
    async activeStaff() {
      return [...world.staff.values()]
        .filter((s) => s.clinicId === clinicId && s.active)
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    },
    async availablePractitioners() {
      return [...world.staff.values()]
        .filter(
          (s) =>
            s.clinicId === clinicId && s.active && s.role === "practitioner" && s.availableForPatientChat,
        )
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async saveStaff(staff) {
      if (staff.clinicId !== clinicId) throw new Error("staff outside the unit of work's clinic");
      world.staff.set(staff.id, staff);
    },
    async savePatient(patient) {
      savePatient(patient);
    },
    // One unit of work runs at a time here: nothing else can change host ids meanwhile.
    async reserveHostIds() {},
    async patientsByHostIds(hostIds) {
      const wanted = new Set(hostIds);
      return [...world.patients.values()].filter(
        (p) => p.clinicId === clinicId && p.hostId != null && wanted.has(p.hostId),
      );
    },
    async savePatients(patients) {
      for (const patient of patients) savePatient(patient);
    },
    async erasePatient(tombstone) {
      savePatient(tombstone);
      for (const [id, appointment] of world.appointments)
        if (appointment.clinicId === clinicId && appointment.patientId === tombstone.id)
          world.appointments.delete(id);
    },
    async setAvailability(staffId, available) {
      const staff = inClinic(world.staff.get(staffId));
      if (staff) world.staff.set(staffId, { ...staff, availableForPatientChat: available });
    },
  };
}

/** Patient-list order: by name (case-insensitive), then id, so pages never overlap. */
function compareByName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  const byName =
    a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0;
  return byName || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
