import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../postgres/Database";

/**
 * Runs `list` in a transaction of the owner's connection once it is sure that connection sees
 * every clinic's rows of `table`: a superuser, a role that bypasses row-level security, or the
 * table's owner (on a managed database, one that is no superuser reads through the table's own
 * read-only policies). The table forces RLS, so any other role would see no rows at all and the
 * job would quietly never do anything; it is refused instead, saying what it was listing.
 */
export function listAsOwner<T>(
  ownerDb: Kysely<Database>,
  table: keyof Database & string,
  listing: string,
  list: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return ownerDb.transaction().execute(async (trx) => {
    const role = await sql<{ sees: boolean }>`
      select r.rolsuper or r.rolbypassrls or pg_has_role(current_user, c.relowner, 'USAGE') as sees
      from pg_roles r, pg_class c
      where r.rolname = current_user and c.oid = ${`public.${table}`}::regclass`.execute(trx);
    if (!role.rows[0]?.sees) {
      throw new Error(
        `listing ${listing} needs the owner's connection: row-level security hides other clinics`,
      );
    }
    return list(trx);
  });
}
