import type { RemovedFile } from "@clinic-chat/domain/files";
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

/**
 * Holds every record sharing a stored object with the files named ($2), so that of two removals
 * of copies of one object at once, the second waits for the first and then counts without it.
 */
const holdSharingSql = `with named as (
    select storage_key from files where clinic_id = $1 and id = any($2::text[])
  ), f as (
    select 1 from files where clinic_id = $1 and storage_key in (select storage_key from named) for update
  ), b as (
    select 1 from broadcast_files where clinic_id = $1 and storage_key in (select storage_key from named) for update
  )
  select (select count(*) from f) + (select count(*) from b) as held`;

/**
 * Deletes the files named ($2) with their data keys, answering each with whether any other record
 * still shares its stored object. Its snapshot starts once {@link holdSharingSql} holds them, so a
 * copy removed meanwhile is not counted; the rows it deletes itself still show in it, hence
 * `<> all($2)`.
 */
const removeFilesSql = `with gone as (
    delete from files where clinic_id = $1 and id = any($2::text[])
    returning id, storage_key, content_type
  ), keys as (
    delete from file_keys where clinic_id = $1 and file_id = any($2::text[])
  )
  select g.id, g.storage_key, g.content_type,
    not exists (select 1 from files f
                 where f.clinic_id = $1 and f.storage_key = g.storage_key and f.id <> all($2::text[]))
    and not exists (select 1 from broadcast_files b
                     where b.clinic_id = $1 and b.storage_key = g.storage_key) as last_reference
  from gone g`;

/**
 * Removes file records, name and data key too (DEL-2), in two statements however many: answers
 * each removed record with its stored object and whether it was the object's last reference.
 */
export async function removeFiles(
  statements: Statements,
  clinicId: string,
  fileIds: readonly string[],
): Promise<RemovedFile[]> {
  if (fileIds.length === 0) return [];
  const ids = [...fileIds];
  await statements.write(holdSharingSql, [clinicId, ids]);
  const rows = await statements.read<{
    id: string;
    storage_key: string;
    content_type: string;
    last_reference: boolean;
  }>(removeFilesSql, [clinicId, ids]);
  return rows.map((row) => ({
    fileId: row.id,
    storageKey: row.storage_key,
    contentType: row.content_type,
    lastReference: row.last_reference,
  }));
}
