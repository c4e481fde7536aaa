import { type Kysely, sql } from "kysely";
import { totpSubject } from "../postgres/auth/credentials";
import type { Database, PersonKind } from "../postgres/Database";
import { fileSubject } from "../postgres/fileStore";
import { messageSubject } from "../postgres/messageStore";
import { withClinic } from "../postgres/PostgresUnitOfWork";
import { personOf } from "../postgres/people";
import { scheduledSubject } from "../postgres/templateStore";
import type { RecordKeys } from "./recordKeys";
import { isSealedText } from "./sealing";

/** How many rows one transaction seals: short enough that sends and deletions never wait long. */
const sliceSize = 200;

/**
 * Seals what was written before records were sealed (REC-1): message text, file names, TOTP
 * secrets and text scheduled for later still in plain text, clinic by clinic, in slices of {@link sliceSize} rows, each in a
 * short transaction of its own, while the product runs. Rows are walked in key order and locked
 * as they are sealed (a deletion at the same time waits for the slice, or the slice for it). Running it again after it finished finds nothing. `stopping` ends it between two
 * slices (the next start goes on). Answers how many rows it sealed.
 */
export async function sealEarlierRecords(
  db: Kysely<Database>,
  ownerDb: Kysely<Database>,
  keys: RecordKeys,
  stopping: () => boolean = () => false,
): Promise<number> {
  const clinics = await ownerDb.selectFrom("clinics").select("id").orderBy("id").execute();
  let sealed = 0;
  for (const { id: clinicId } of clinics) {
    for (const table of ["messages", "files", "auth_credentials", "scheduled_messages"] as const) {
      let after = "";
      while (!stopping()) {
        const slice = await withClinic(db, clinicId, (trx) => sealSlice(trx, keys, clinicId, table, after));
        sealed += slice.sealed;
        if (slice.last === null) break;
        after = slice.last;
      }
    }
  }
  return sealed;
}

type Table = "messages" | "files" | "auth_credentials" | "scheduled_messages";

async function sealSlice(
  trx: Kysely<Database>,
  keys: RecordKeys,
  clinicId: string,
  table: Table,
  after: string,
): Promise<{ sealed: number; last: string | null }> {
  const seal = await keys.forClinic(clinicId, trx);
  if (table === "messages") {
    const rows = await sql<{ id: string; text: string | null }>`
      select id, text from messages where clinic_id = ${clinicId} and id > ${after}
      order by id limit ${sliceSize} for update`.execute(trx);
    let sealed = 0;
    for (const row of rows.rows) {
      if (row.text === null || isSealedText(row.text)) continue;
      const subject = messageSubject(row.id);
      const dataKey = seal.newDataKey(subject);
      await sql`insert into message_keys (clinic_id, message_id, wrapped)
        values (${clinicId}, ${row.id}, ${dataKey.wrapped})`.execute(trx);
      await sql`update messages set text = ${seal.sealText(dataKey.key, subject, row.text)}
        where clinic_id = ${clinicId} and id = ${row.id}`.execute(trx);
      sealed += 1;
    }
    return { sealed, last: rows.rows.length < sliceSize ? null : (rows.rows.at(-1)?.id ?? null) };
  }
  if (table === "files") {
    const rows = await sql<{ id: string; name: string }>`
      select id, name from files where clinic_id = ${clinicId} and id > ${after}
      order by id limit ${sliceSize} for update`.execute(trx);
    let sealed = 0;
    for (const row of rows.rows) {
      if (isSealedText(row.name)) continue;
      const subject = fileSubject(row.id);
      const dataKey = seal.newDataKey(subject);
      await sql`insert into file_keys (clinic_id, file_id, wrapped)
        values (${clinicId}, ${row.id}, ${dataKey.wrapped})`.execute(trx);
      await sql`update files set name = ${seal.sealText(dataKey.key, subject, row.name)}
        where clinic_id = ${clinicId} and id = ${row.id}`.execute(trx);
      sealed += 1;
    }
    return { sealed, last: rows.rows.length < sliceSize ? null : (rows.rows.at(-1)?.id ?? null) };
  }
  if (table === "scheduled_messages") {
    const rows = await sql<{ id: string; text: string }>`
      select id, text from scheduled_messages where clinic_id = ${clinicId} and id > ${after}
      order by id limit ${sliceSize} for update`.execute(trx);
    let sealed = 0;
    for (const row of rows.rows) {
      if (isSealedText(row.text)) continue;
      await sql`update scheduled_messages set text = ${seal.sealSecret(scheduledSubject(row.id), row.text)}
        where clinic_id = ${clinicId} and id = ${row.id}`.execute(trx);
      sealed += 1;
    }
    return { sealed, last: rows.rows.length < sliceSize ? null : (rows.rows.at(-1)?.id ?? null) };
  }
  const rows = await sql<{
    key: string;
    person_kind: PersonKind;
    person_id: string;
    totp_secret: string | null;
  }>`
    select (person_kind || ':' || person_id) collate "C" as key, person_kind, person_id, totp_secret
      from auth_credentials
     where clinic_id = ${clinicId} and (person_kind || ':' || person_id) collate "C" > ${after}
     order by 1 limit ${sliceSize} for update`.execute(trx);
  let sealed = 0;
  for (const row of rows.rows) {
    if (row.totp_secret === null || isSealedText(row.totp_secret)) continue;
    const stored = seal.sealSecret(totpSubject(personOf(row.person_kind, row.person_id)), row.totp_secret);
    await sql`update auth_credentials set totp_secret = ${stored}
      where clinic_id = ${clinicId} and person_kind = ${row.person_kind} and person_id = ${row.person_id}`.execute(
      trx,
    );
    sealed += 1;
  }
  return { sealed, last: rows.rows.length < sliceSize ? null : (rows.rows.at(-1)?.key ?? null) };
}
