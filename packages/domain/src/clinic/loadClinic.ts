import { DomainError } from "../shared/DomainError";
import type { Stores } from "../shared/UnitOfWork";
import type { Clinic } from "./Clinic";

/** Loads the clinic of the unit of work; a missing clinic reads as NOT_FOUND. */
export async function loadClinic(stores: Stores, clinicId: string): Promise<Clinic> {
  const clinic = await stores.clinics.get(clinicId);
  if (!clinic) throw new DomainError("NOT_FOUND");
  return clinic;
}
