import { randomUUID } from "node:crypto";
import type { Message } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/postgres/Database";
import { at, newId, patientConversation, postText, ref, seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

/** Every (schema, table, column) of a text-like or json type outside PostgreSQL's own schemas. */
async function textColumns(owner: Kysely<Database>) {
  const rows = await sql<{ schema: string; table: string; column: string }>`
    select n.nspname as schema, c.relname as table, a.attname as column
    from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'm') and a.attnum > 0 and not a.attisdropped
      and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
      and a.atttypid in ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'json'::regtype, 'jsonb'::regtype,
        'text[]'::regtype)`.execute(owner);
  return rows.rows;
}

/** Where `marker` occurs in any stored value, as `schema.table.column`. */
async function whereStored(owner: Kysely<Database>, marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const { schema, table, column } of await textColumns(owner)) {
    const hit = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${schema}.${table}`)}
      where strpos(${sql.ref(column)}::text, ${marker}) > 0`.execute(owner);
    if ((hit.rows[0]?.n ?? 0) > 0) found.push(`${schema}.${table}.${column}`);
  }
  return found;
}

describe("deletion", () => {
  let world: World;
  const textMarker = `TEXT-MARKER-${randomUUID()}`;
  const fileMarker = `FILE-MARKER-${randomUUID()}`;
  let text: Message;
  let file: Message;

  beforeAll(async () => {
    world = await seedWorld(pg.factory);
    const conversation = patientConversation(world);
    await world.run(async (s) => {
      await s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]);
      text = await postText(s, conversation.id, ref(world.patient), `My results ${textMarker}`, at(1));
      const fileId = newId("file");
      await s.files.create({
        id: fileId,
        clinicId: world.clinic.id,
        conversationId: conversation.id,
        uploader: ref(world.practitioner),
        clientId: newId("client"),
        name: `${fileMarker}.pdf`,
        sizeBytes: 10,
        contentType: "application/pdf",
        storageKey: newId("key"),
        state: "ready",
        createdAt: at(2),
      });
      const [reserved] = await s.conversations.reserveForPosting([
        {
          conversationId: conversation.id,
          person: ref(world.practitioner),
          clientId: "c",
          recipientsToNotify: [],
        },
      ]);
      file = {
        ...text,
        id: newId("msg"),
        seq: reserved!.conversation!.lastSeq + 1,
        clientId: newId("client"),
        sender: ref(world.practitioner),
        body: { kind: "file", fileId },
      };
      await s.messages.post([file]);
    });
  });

  it("REC-1 DEL-2: before deletion the stores read the text and the file name back, and no column holds them in plain text", async () => {
    // The scan finds what is stored in plain text: a patient's name is not sealed.
    expect(await whereStored(pg.database().inspect, world.patient.name)).toContain("public.patients.name");
    await world.run(async (s) => {
      expect((await s.messages.get(text.id))?.body).toEqual({
        kind: "text",
        text: `My results ${textMarker}`,
      });
      if (file.body.kind !== "file") throw new Error("not a file message");
      expect((await s.files.get(file.body.fileId))?.name).toBe(`${fileMarker}.pdf`);
    });
    expect(await whereStored(pg.database().inspect, textMarker)).toEqual([]);
    expect(await whereStored(pg.database().inspect, fileMarker)).toEqual([]);
  });

  it("DEL-2 DEL-3: after deletion no column of any table holds the text or the file name; the deletion record stays", async () => {
    const deletedBy = ref(world.admin);
    await world.run(async (s) => {
      await s.messages.erase([text.id], { kind: "deleted", deletedAt: at(5), deletedBy });
      if (file.body.kind !== "file") throw new Error("not a file message");
      await s.files.remove(file.body.fileId);
      await s.messages.erase([file.id], { kind: "deleted", deletedAt: at(6), deletedBy });
    });
    expect(await whereStored(pg.database().inspect, textMarker)).toEqual([]);
    expect(await whereStored(pg.database().inspect, fileMarker)).toEqual([]);
    const records = await sql<{ id: string; body_kind: string; deleted_by_id: string }>`
      select id, body_kind, deleted_by_id from messages where id in (${text.id}, ${file.id}) order by seq`.execute(
      pg.database().inspect,
    );
    expect(records.rows).toEqual([
      { id: text.id, body_kind: "deleted", deleted_by_id: world.admin.id },
      { id: file.id, body_kind: "deleted", deleted_by_id: world.admin.id },
    ]);
  });
});
