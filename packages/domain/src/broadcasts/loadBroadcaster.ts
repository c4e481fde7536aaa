import { loadPerson } from "../people/loadPerson";
import type { Person } from "../people/Person";
import type { Actor } from "../people/people";
import { assertAllowed } from "../shared/Decision";
import type { Stores } from "../shared/UnitOfWork";
import { canBroadcast } from "./rules";

/** The acting admin, refused unless they may broadcast (BCAST-1). */
export async function loadBroadcaster(stores: Stores, actor: Actor): Promise<Person> {
  const person = await loadPerson(stores, actor.person);
  assertAllowed(canBroadcast(person, actor.clinicId));
  return person;
}
