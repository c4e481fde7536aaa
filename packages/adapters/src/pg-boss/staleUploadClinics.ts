import { type Kysely, sql } from "kysely";
import type { Database } from "../postgres/Database";

/**
 * Ids of the clinics that have uploads still pending since before `before` (FILE-2), or reasons of
 * files refused before then to forget (FILE-6). It reads
 * across tenants on purpose, so it needs the owner's connection with a role that bypasses
 * row-level security; it returns ids only, and each clinic is then cleaned up through its own
 * RLS-bound unit of work.
 */
export async function staleUploadClinics(ownerDb: Kysely<Database>, before: Date): Promise<string[]> {
  return ownerDb.transaction().execute(async (trx) => {
    // The files table forces RLS: a role that does not bypass it would see no rows at all and the
    // cleanup would quietly never run, so say so instead.
    const role = await sql<{ bypasses: boolean }>`
      select rolsuper or rolbypassrls as bypasses from pg_roles where rolname = current_user`.execute(trx);
    if (!role.rows[0]?.bypasses) {
      throw new Error("listing stale uploads needs a role that bypasses row-level security");
    }
    const rows = await trx
      .selectFrom("files")
      .select("clinic_id")
      .where("state", "=", "pending")
      .where("created_at", "<", before)
      .union((union) =>
        union.selectFrom("file_refusals").select("clinic_id").where("refused_at", "<", before),
      )
      .orderBy("clinic_id")
      .execute();
    return rows.map((row) => row.clinic_id);
  });
}
