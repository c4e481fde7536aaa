import type { Kysely } from "kysely";
import type { Database } from "../postgres/Database";
import { listAsOwner } from "./ownerListing";

/**
 * Ids of the clinics that have uploads still pending since before `before` (FILE-2), a
 * conversation's or a broadcast's (BCAST-1), or reasons of
 * files refused before then to forget (FILE-6). It reads across tenants on purpose, so it needs
 * the owner's connection (see {@link listAsOwner}; OPS-3). It returns ids only, and each clinic
 * is then cleaned up through its own RLS-bound unit of work.
 */
export async function staleUploadClinics(ownerDb: Kysely<Database>, before: Date): Promise<string[]> {
  return listAsOwner(ownerDb, "files", "stale uploads", async (trx) => {
    const rows = await trx
      .selectFrom("files")
      .select("clinic_id")
      .where("state", "=", "pending")
      .where("created_at", "<", before)
      .union((union) =>
        union.selectFrom("file_refusals").select("clinic_id").where("refused_at", "<", before),
      )
      .union((union) =>
        union
          .selectFrom("broadcast_files")
          .select("clinic_id")
          .where("state", "=", "pending")
          .where("created_at", "<", before),
      )
      .orderBy("clinic_id")
      .execute();
    return rows.map((row) => row.clinic_id);
  });
}
