import { sql } from "kysely";
import type { Statements } from "./Statements";

/**
 * Drops one reference to a stored object and answers whether none is left. Every record sharing
 * the key is held first, so of two references dropped at once the second sees the first gone,
 * and exactly one of them answers true (DEL-2).
 */
export async function releaseReference(
  statements: Statements,
  clinicId: string,
  storageKey: string,
  drop: () => Promise<unknown>,
): Promise<boolean> {
  const { db } = statements;
  await sql`select 1 from files where clinic_id = ${clinicId} and storage_key = ${storageKey} for update`.execute(
    db,
  );
  await sql`select 1 from broadcast_files where clinic_id = ${clinicId} and storage_key = ${storageKey} for update`.execute(
    db,
  );
  await drop();
  const left = await sql<{ n: string }>`select
      (select count(*) from files where clinic_id = ${clinicId} and storage_key = ${storageKey})
    + (select count(*) from broadcast_files where clinic_id = ${clinicId} and storage_key = ${storageKey}) as n`.execute(
    db,
  );
  return Number(left.rows[0]?.n ?? 0) === 0;
}
