import { type Kysely, sql } from "kysely";
import type { Database } from "../postgres/Database";

/**
 * Ids of the clinics with an endpoint holding settled events past its newest `keep` (INTEG-4):
 * those whose delivery log has something to forget. It reads across tenants on
 * purpose, so it needs the owner's connection (see `staleUploadClinics`); it returns ids only.
 */
export async function longDeliveryLogClinics(ownerDb: Kysely<Database>, keep: number): Promise<string[]> {
  const rows = await sql<{ clinic_id: string }>`
    select distinct clinic_id from (
      select clinic_id, status,
        row_number() over (partition by clinic_id, endpoint_id order by position desc) as newest
      from webhook_events
    ) ranked
    where newest > ${keep} and status <> 'pending'
    order by clinic_id`.execute(ownerDb);
  return rows.rows.map((row) => row.clinic_id);
}
