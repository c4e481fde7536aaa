import type { Kysely } from "kysely";
import type { Database } from "../postgres/Database";
import { listAsOwner } from "./ownerListing";

/**
 * Ids of the clinics with a retention period (REC-3), across tenants: it needs the owner's
 * connection (see {@link listAsOwner}). Ids only; each clinic's run works through its own
 * RLS-bound units of work.
 */
export function retentionClinics(ownerDb: Kysely<Database>): Promise<string[]> {
  return listAsOwner(ownerDb, "retention_policies", "retention periods", async (trx) => {
    const rows = await trx
      .selectFrom("retention_policies")
      .select("clinic_id")
      .orderBy("clinic_id")
      .execute();
    return rows.map((row) => row.clinic_id);
  });
}
