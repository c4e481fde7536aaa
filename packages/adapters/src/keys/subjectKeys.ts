import { type Kysely, sql } from "kysely";
import type { Database } from "../postgres/Database";
import type { ClinicSeal } from "./recordKeys";
import { isSealedText } from "./sealing";

// REC-1, REC-2: the data keys of broadcasts, broadcast files, templates and scheduled messages,
// one per record, kept in `record_keys` by the subject the value is bound to. Deleting a subject's
// key row shreds every copy of what was sealed under it.

/** What a broadcast's text is bound to. */
export const broadcastSubject = (id: string) => `broadcast/${id}`;
/** What a broadcast file's name is bound to. */
export const broadcastFileSubject = (id: string) => `broadcast-file/${id}`;
/** What a template's text is bound to. */
export const templateSubject = (id: string) => `template/${id}`;

/**
 * `text` sealed under a new data key of `subject`, which replaces any earlier key of it (an edit
 * leaves the earlier sealing unopenable). Plain when the product runs without record keys.
 */
export async function sealUnderOwnKey(
  db: Kysely<Database>,
  seal: ClinicSeal | null,
  clinicId: string,
  subject: string,
  text: string,
): Promise<string> {
  if (!seal) return text;
  const dataKey = seal.newDataKey(subject);
  await sql`insert into record_keys (clinic_id, subject, wrapped)
    values (${clinicId}, ${subject}, ${dataKey.wrapped})
    on conflict (clinic_id, subject) do update set wrapped = excluded.wrapped`.execute(db);
  return seal.sealText(dataKey.key, subject, text);
}

/**
 * The values opened, in order: plain values as they are, sealed ones under their subject's key,
 * null where that key is gone (shredded). One read for all of them.
 * `fallback` opens a value sealed before its subject had a key of its own (or null).
 */
export async function openUnderOwnKeys(
  db: Kysely<Database>,
  seal: ClinicSeal | null,
  clinicId: string,
  values: readonly { readonly subject: string; readonly value: string }[],
  fallback: (subject: string, value: string) => string | null = () => null,
): Promise<(string | null)[]> {
  const sealed = values.filter((v) => isSealedText(v.value));
  if (sealed.length === 0) return values.map((v) => v.value);
  if (!seal) throw new Error("sealed records and no record keys are configured");
  const rows = await sql<{ subject: string; wrapped: Buffer }>`
    select subject, wrapped from record_keys
     where clinic_id = ${clinicId} and subject = any(${sealed.map((v) => v.subject)}::text[])`.execute(db);
  const wrapped = new Map(rows.rows.map((row) => [row.subject, row.wrapped]));
  return values.map(({ subject, value }) => {
    if (!isSealedText(value)) return value;
    const key = wrapped.get(subject);
    if (!key) return fallback(subject, value);
    return seal.openText(seal.dataKey(subject, key), subject, value);
  });
}

/** Destroys the subjects' keys: what was sealed under them opens nowhere any more (REC-2). */
export async function shredKeys(db: Kysely<Database>, clinicId: string, subjects: readonly string[]) {
  if (subjects.length === 0) return;
  await sql`delete from record_keys
     where clinic_id = ${clinicId} and subject = any(${[...subjects]}::text[])`.execute(db);
}
