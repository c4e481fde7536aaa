import type { ClinicAuthStores, Person, PersonRef } from "@clinic-chat/domain";

/** The person behind a reference, with their state (active, portal account), or null. */
export async function loadPersonOf(
  stores: Pick<ClinicAuthStores, "directory">,
  ref: PersonRef,
): Promise<Person | null> {
  if (ref.kind === "staff") {
    const staff = await stores.directory.staffMember(ref.id);
    return staff ? { kind: "staff", staff } : null;
  }
  const patient = await stores.directory.patient(ref.id);
  return patient ? { kind: "patient", patient } : null;
}
