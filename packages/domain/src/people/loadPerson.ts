import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { Stores } from "../shared/UnitOfWork";
import type { Person } from "./Person";
import { canAct } from "./Person";
import type { Actor, Patient, PersonRef, StaffMember } from "./people";

/** Loads the acting person of the current clinic, or NOT_FOUND. */
export async function loadPerson(stores: Stores, ref: PersonRef): Promise<Person> {
  if (ref.kind === "staff") {
    const staff = await stores.directory.staffMember(ref.id);
    if (!staff) throw new DomainError("NOT_FOUND");
    return { kind: "staff", staff };
  }
  const patient = await stores.directory.patient(ref.id);
  if (!patient) throw new DomainError("NOT_FOUND");
  return { kind: "patient", patient };
}

/** Loads the actor and refuses when they may not act at all (ELIG-6). */
export async function loadActingPerson(stores: Stores, actor: Actor): Promise<Person> {
  const person = await loadPerson(stores, actor.person);
  assertAllowed(canAct(person));
  return person;
}

/** Loads the actor as an active staff member; patients get FORBIDDEN. */
export async function loadActingStaff(stores: Stores, actor: Actor): Promise<StaffMember> {
  const person = await loadActingPerson(stores, actor);
  if (person.kind !== "staff") throw new DomainError("FORBIDDEN");
  return person.staff;
}

/** Loads the actor as an active clinic admin; anyone else gets FORBIDDEN. */
export async function loadActingAdmin(stores: Stores, actor: Actor): Promise<StaffMember> {
  const staff = await loadActingStaff(stores, actor);
  if (staff.role !== "admin") throw new DomainError("FORBIDDEN");
  return staff;
}

/** Loads the actor as a patient whose portal account is active; staff get FORBIDDEN. */
export async function loadActingPatient(stores: Stores, actor: Actor): Promise<Patient> {
  const person = await loadActingPerson(stores, actor);
  if (person.kind !== "patient") throw new DomainError("FORBIDDEN");
  return person.patient;
}
