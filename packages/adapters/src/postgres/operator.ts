import type { Clinic } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import { toClinic } from "./clinicStore";
import type { Database } from "./Database";

/**
 * ADMIN-1: every clinic, by name, for the operator command. Connected as the owning role, which
 * alone may read clinics across tenants (migration 0010's read-only policy).
 */
export async function listClinicsAsOwner(owner: Kysely<Database>): Promise<Clinic[]> {
  const rows = await owner.selectFrom("clinics").selectAll().orderBy("name").orderBy("id").execute();
  return rows.map(toClinic);
}
