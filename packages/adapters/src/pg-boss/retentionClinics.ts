import { type Kysely, sql } from "kysely";
import type { Database } from "../postgres/Database";

/**
 * Ids of the clinics with a retention period (REC-3), across tenants: it needs the owner's
 * connection (a superuser, or an owner reading through the table's read-only policy on a managed
 * database). Ids only; each clinic's run works through its own RLS-bound units of work.
 */
export async function retentionClinics(ownerDb: Kysely<Database>): Promise<string[]> {
  return ownerDb.transaction().execute(async (trx) => {
    // The table forces RLS: any other role would see no rows and retention would quietly never run.
    const role = await sql<{ sees: boolean }>`
      select r.rolsuper or r.rolbypassrls or pg_has_role(current_user, c.relowner, 'USAGE') as sees
      from pg_roles r, pg_class c
      where r.rolname = current_user and c.oid = 'public.retention_policies'::regclass`.execute(trx);
    if (!role.rows[0]?.sees) {
      throw new Error(
        "listing retention periods needs the owner's connection: row-level security hides other clinics",
      );
    }
    const rows = await trx
      .selectFrom("retention_policies")
      .select("clinic_id")
      .orderBy("clinic_id")
      .execute();
    return rows.map((row) => row.clinic_id);
  });
}
