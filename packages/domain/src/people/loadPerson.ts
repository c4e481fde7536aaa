import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { Stores } from "../shared/UnitOfWork";
import type { Person } from "./Person";
import { canAct } from "./Person";
import type { Actor, Patient, PersonRef, StaffMember } from "./people";

/** The directory is all that loading a person needs, so sign-in's stores can load one too. */
type PeopleStores = Pick<Stores, "directory">;

/** Loads a person of the current clinic with their state, or null when the directory has none. */
export async function findPerson(stores: PeopleStores, ref: PersonRef): Promise<Person | null> {
  if (ref.kind === "staff") {
    const staff = await stores.directory.staffMember(ref.id);
    return staff ? { kind: "staff", staff } : null;
  }
  const patient = await stores.directory.patient(ref.id);
  return patient ? { kind: "patient", patient } : null;
}

/** Loads a person of the current clinic, or NOT_FOUND. */
export async function loadPerson(stores: PeopleStores, ref: PersonRef): Promise<Person> {
  const person = await findPerson(stores, ref);
  if (!person) throw new DomainError("NOT_FOUND");
  return person;
}

/** Who a use case lets act: anyone who may act, staff only, clinic admins only, or patients only. */
export type ActingAs = "person" | "staff" | "admin" | "patient";

/** What {@link loadActing} returns for each {@link ActingAs}. */
export interface Acting {
  readonly person: Person;
  readonly staff: StaffMember;
  readonly admin: StaffMember;
  readonly patient: Patient;
}

/**
 * Loads the actor and refuses them unless they may act at all (ELIG-6: STAFF_INACTIVE,
 * PATIENT_PORTAL_INACTIVE) and are of the kind the use case serves (FORBIDDEN). The person is
 * loaded before their kind is judged, so a disabled account hears why it cannot act whatever it asks.
 */
export async function loadActing<As extends ActingAs>(
  stores: PeopleStores,
  actor: Actor,
  options: { readonly as: As },
): Promise<Acting[As]> {
  return actingAs(await findPerson(stores, actor.person), options.as);
}

/**
 * {@link loadActing}'s decision on a person already read (for use cases that read the actor with
 * other facts in one go): NOT_FOUND when unknown, then ELIG-6, then the kind.
 */
export function actingAs<As extends ActingAs>(person: Person | null, as: As): Acting[As] {
  if (!person) throw new DomainError("NOT_FOUND");
  assertAllowed(canAct(person));
  switch (as) {
    case "person":
      return person as Acting[As];
    case "patient":
      if (person.kind !== "patient") throw new DomainError("FORBIDDEN");
      return person.patient as Acting[As];
    default:
      if (person.kind !== "staff") throw new DomainError("FORBIDDEN");
      if (as === "admin" && person.staff.role !== "admin") throw new DomainError("FORBIDDEN");
      return person.staff as Acting[As];
  }
}
