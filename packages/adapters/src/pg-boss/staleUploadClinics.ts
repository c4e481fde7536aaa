import { type Kysely, sql } from "kysely";
import type { Database } from "../postgres/Database";

/**
 * Ids of the clinics that have uploads still pending since before `before` (FILE-2), a
 * conversation's or a broadcast's (BCAST-1), or reasons of
 * files refused before then to forget (FILE-6). It reads across tenants on purpose, so it needs
 * the owner's connection: a superuser, or on a managed database an owner that is not one, which
 * reads these rows through its own read-only policies (OPS-3). It returns ids only, and each clinic
 * is then cleaned up through its own RLS-bound unit of work.
 */
export async function staleUploadClinics(ownerDb: Kysely<Database>, before: Date): Promise<string[]> {
  return ownerDb.transaction().execute(async (trx) => {
    // The files table forces RLS: any other role would see no rows at all and the cleanup would
    // quietly never run, so say so instead.
    const role = await sql<{ sees: boolean }>`
      select r.rolsuper or r.rolbypassrls or pg_has_role(current_user, c.relowner, 'USAGE') as sees
      from pg_roles r, pg_class c
      where r.rolname = current_user and c.oid = 'public.files'::regclass`.execute(trx);
    if (!role.rows[0]?.sees) {
      throw new Error(
        "listing stale uploads needs the owner's connection: row-level security hides other clinics",
      );
    }
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
