import { type Kysely, sql } from "kysely";
import { totpSubject } from "../postgres/auth/credentials";
import type { Database, PersonKind } from "../postgres/Database";
import { fileSubject } from "../postgres/fileStore";
import { messageSubject } from "../postgres/messageStore";
import { withClinic } from "../postgres/PostgresUnitOfWork";
import { personOf } from "../postgres/people";
import { openEarlierSealing, scheduledSubject } from "../postgres/templateStore";
import type { ClinicSeal, RecordKeys } from "./recordKeys";
import { isSealedText } from "./sealing";
import { broadcastFileSubject, broadcastSubject, sealUnderOwnKey, templateSubject } from "./subjectKeys";

/** How many rows one transaction seals: short enough that sends and deletions never wait long. */
const sliceSize = 200;

/**
 * Seals what was written before records were sealed (REC-1): message text, file names, TOTP
 * secrets, text scheduled for later, broadcasts' text, broadcast files' names and templates' text
 * still in plain text (and scheduled text still under the clinic's key moves under a key of its own), clinic by clinic, in slices of {@link sliceSize} rows, each in a
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
    for (const table of tables) {
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

/**
 * Records sealed under a data key of their own in `record_keys`: the column sealed and the subject
 * of each row. `earlier` opens what was sealed under the clinic's key itself before the row had a
 * key of its own, so it moves under one.
 */
const ownKeyTables = {
  broadcasts: { column: "text", subject: broadcastSubject, earlier: null },
  broadcast_files: { column: "name", subject: broadcastFileSubject, earlier: null },
  message_templates: { column: "text", subject: templateSubject, earlier: null },
  scheduled_messages: { column: "text", subject: scheduledSubject, earlier: openEarlierSealing },
} as const;
type OwnKeyTable = keyof typeof ownKeyTables;

const tables = ["messages", "files", "auth_credentials", ...(Object.keys(ownKeyTables) as OwnKeyTable[])];
type Table = (typeof tables)[number];

async function sealOwnKeySlice(
  trx: Kysely<Database>,
  seal: ClinicSeal,
  clinicId: string,
  table: OwnKeyTable,
  after: string,
): Promise<{ sealed: number; last: string | null }> {
  const { column, subject, earlier } = ownKeyTables[table];
  const rows = await sql<{ id: string; value: string | null }>`
    select id, ${sql.ref(column)} as value from ${sql.table(table)}
     where clinic_id = ${clinicId} and id > ${after} order by id limit ${sliceSize} for update`.execute(trx);
  const keyed = await sql<{ subject: string }>`
    select subject from record_keys
     where clinic_id = ${clinicId} and subject = any(${rows.rows.map((row) => subject(row.id))}::text[])`.execute(
    trx,
  );
  const hasKey = new Set(keyed.rows.map((row) => row.subject));
  let sealed = 0;
  for (const row of rows.rows) {
    const about = subject(row.id);
    // An empty value (a cancelled scheduled message's) carries nothing to seal.
    if (!row.value || hasKey.has(about)) continue;
    const plain = isSealedText(row.value) ? (earlier?.(seal)(about, row.value) ?? null) : row.value;
    if (plain === null) continue;
    const stored = await sealUnderOwnKey(trx, seal, clinicId, about, plain);
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${stored}
      where clinic_id = ${clinicId} and id = ${row.id}`.execute(trx);
    sealed += 1;
  }
  return { sealed, last: rows.rows.length < sliceSize ? null : (rows.rows.at(-1)?.id ?? null) };
}

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
  if (table in ownKeyTables) return sealOwnKeySlice(trx, seal, clinicId, table as OwnKeyTable, after);
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
