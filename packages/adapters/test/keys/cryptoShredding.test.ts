import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChatDeps, Message, NotificationQueue, UnitOfWork } from "@clinic-chat/domain";
import { requestFileUpload } from "@clinic-chat/domain/files";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedS3, startEmbeddedS3 } from "../../src/embedded/embeddedS3";
import { openKeyFileProvider } from "../../src/keys/keyFileProvider";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { createPostgresAuthStore } from "../../src/postgres/auth/createPostgresAuthStore";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../../src/postgres/preparePostgres";
import { createS3BlobStore, type S3BlobStore } from "../../src/s3/S3BlobStore";
import { at, newId, patientConversation, postText, ref, seedWorld, type World } from "../contract/fixtures";
import { type DebianPostgres, debianPostgresBin, startDebianPostgres } from "../support/debianPostgres";
import { withDatabase } from "../support/postgres";
import { seedPasswordHash } from "../support/seedEveryTable";
import { filesHolding, pgClient } from "./clusterFiles";

// A cluster of this file's own, so every byte of its data folder is this test's. Debian's server,
// because its pg_dump (the only one installed) dumps servers of its own major version.
const bin = debianPostgresBin();
const noTimers: NotificationQueue = { async schedule() {} };
const appRole = { name: "clinic_chat_app", password: "shredding-app-password" };

interface Product {
  readonly app: Kysely<Database>;
  readonly uow: UnitOfWork;
  close(): Promise<void>;
}

describe("crypto-shredding on a real PostgreSQL cluster", () => {
  let root: string;
  let server: DebianPostgres;
  let live: Product;
  let inspect: Kysely<Database>;
  let world: World;
  let keyFile: string;
  const textMarker = `TEXT-MARKER-${randomUUID()}`;
  const fileMarker = `FILE-MARKER-${randomUUID()}`;
  const totpMarker = `TOTPMARKER${randomUUID().replaceAll("-", "").toUpperCase()}`;
  const keptMarker = `KEPT-MARKER-${randomUUID()}`;
  const scheduledMarker = `SCHEDULED-MARKER-${randomUUID()}`;
  const scheduledId = newId("scheduled");
  let conversationId: string;
  let text: Message;
  let kept: Message;
  let fileMessage: Message;
  let fileId: string;
  let storageKey: string;
  let storage: EmbeddedS3;
  let blobs: S3BlobStore;
  let recordsDump: string;
  let fullDump: string;

  const urlOf = (database: string, user?: { name: string; password: string }) =>
    withDatabase(server.ownerUrl, database, user);
  const superOf = (database: string) => withDatabase(server.superUrl, database);

  const openProduct = async (database: string): Promise<Product> => {
    const app = connectPostgres(urlOf(database, appRole), { max: 4 });
    const recordKeys = createRecordKeys(await openKeyFileProvider(keyFile));
    return {
      app,
      uow: createPostgresUnitOfWork(app, { notificationQueue: () => noTimers, recordKeys }),
      close: () => app.destroy(),
    };
  };

  const checkpointAndScan = async (marker: string) => {
    await sql`checkpoint`.execute(inspect);
    return filesHolding(join(root, "cluster"), marker);
  };
  const storageFolder = () => join(root, "storage");

  beforeAll(async () => {
    if (bin === null) throw new Error("Debian's PostgreSQL is not installed: apt-get install postgresql");
    root = await mkdtemp(join(tmpdir(), "clinic-chat-shred-"));
    keyFile = join(root, "keys", "key-encryption-keys.json");
    server = await startDebianPostgres(root);
    await pgClient(bin!, "psql", server.superUrl, ["-c", "CREATE DATABASE records OWNER clinic_owner"]);
    await preparePostgres({
      ownerUrl: urlOf("records"),
      appRole: appRole.name,
      appPassword: appRole.password,
    });
    inspect = connectPostgres(superOf("records"), { max: 1 });
    live = await openProduct("records");
    world = await seedWorld(() => live.uow);
    const conversation = patientConversation(world);
    conversationId = conversation.id;
    await world.run(async (s) => {
      await s.clinics.saveSettings(world.clinic.id, { ...world.clinic.settings, patientChatEnabled: true });
      await s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]);
    });
    await world.run(async (s) => {
      text = await postText(s, conversationId, ref(world.patient), `My results ${textMarker}`, at(1));
    });
    // The file comes through the product's upload request and the browser's PUT to storage, so
    // the storage folder holds whatever the product gives storage.
    storage = await startEmbeddedS3({ directory: storageFolder(), bucket: "clinic-files" });
    blobs = createS3BlobStore(storage);
    const deps: ChatDeps = {
      uow: live.uow,
      blobs,
      clock: { now: () => at(2) },
      ids: { newId: () => randomUUID() },
      links: { staffApp: "https://staff.test", patientPortal: "https://portal.test" },
    };
    const pdf = Buffer.from("%PDF-1.4\n%%EOF\n");
    const requested = await requestFileUpload(
      deps,
      { clinicId: world.clinic.id, person: ref(world.practitioner) },
      {
        conversationId,
        clientId: newId("client"),
        fileName: `${fileMarker}.pdf`,
        sizeBytes: pdf.length,
        contentType: "application/pdf",
      },
    );
    fileId = requested.fileId;
    const put = await fetch(requested.upload.url, {
      method: "PUT",
      headers: requested.upload.headers,
      body: pdf,
    });
    expect(put.status).toBe(200);
    storageKey = (await world.run((s) => s.files.get(fileId)))!.storageKey;
    await world.run(async (s) => {
      const [reserved] = await s.conversations.reserveForPosting([
        { conversationId, person: ref(world.practitioner), clientId: "c", recipientsToNotify: [] },
      ]);
      fileMessage = {
        ...text,
        id: newId("msg"),
        seq: reserved!.conversation!.lastSeq + 1,
        clientId: newId("client"),
        sender: ref(world.practitioner),
        sentAt: at(3),
        body: { kind: "file", fileId },
      };
      await s.messages.post([fileMessage]);
    });
    await world.run((s) =>
      s.scheduledMessages.save({
        id: scheduledId,
        clinicId: world.clinic.id,
        conversationId,
        authorId: world.practitioner.id,
        clientId: newId("client"),
        text: `Later ${scheduledMarker}`,
        sendAt: at(60),
        status: "pending",
        messageId: null,
        refusal: null,
        authorEmailed: false,
        createdAt: at(4),
      }),
    );
    await world.run(async (s) => {
      kept = await postText(s, conversationId, ref(world.practitioner), `Still here ${keptMarker}`, at(4));
    });
    const auth = createPostgresAuthStore(live.app, {
      recordKeys: createRecordKeys(await openKeyFileProvider(keyFile)),
    });
    await auth.run(world.clinic.id, async (s) => {
      await s.credentials.setPassword(ref(world.practitioner), "doc@example.test", seedPasswordHash, at(0));
      expect(await s.credentials.startTotp(ref(world.practitioner), totpMarker, at(0), null)).toBe(true);
    });
    await auth.run(world.clinic.id, async (s) => {
      expect((await s.credentials.get(ref(world.practitioner)))?.totpSecret).toBe(totpMarker);
    });
  }, 240_000);

  afterAll(async () => {
    blobs?.destroy();
    await storage?.stop();
    await live?.close();
    await inspect?.destroy();
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("REC-1: before deletion the product reads the text, the file name and the TOTP secret, and no file of the cluster or of the storage folder holds them in plain text", async () => {
    await world.run(async (s) => {
      expect((await s.messages.get(text.id))?.body).toEqual({
        kind: "text",
        text: `My results ${textMarker}`,
      });
      expect((await s.files.get(fileId))?.name).toBe(`${fileMarker}.pdf`);
      expect((await s.scheduledMessages.reserve(scheduledId))?.text).toBe(`Later ${scheduledMarker}`);
    });
    // The scan finds what is kept in plain text: a patient's name is not sealed.
    expect(await checkpointAndScan(world.patient.name)).not.toEqual([]);
    for (const marker of [textMarker, fileMarker, totpMarker, keptMarker, scheduledMarker]) {
      expect(await checkpointAndScan(marker)).toEqual([]);
    }
    // The storage folder holds the object (the scan sees what is there) but not its name.
    expect(await filesHolding(storageFolder(), "%PDF-1.4")).not.toEqual([]);
    expect(await filesHolding(storageFolder(), fileMarker)).toEqual([]);
  }, 120_000);

  it("REC-1: a dump of the database holds no message text (sent or scheduled), file name or TOTP secret in plain text", async () => {
    fullDump = join(root, "full.sql");
    recordsDump = join(root, "records.sql");
    await writeFile(fullDump, await pgClient(bin!, "pg_dump", superOf("records"), []));
    // The records' backup as docs/deploying.md takes it: without the data keys' rows.
    await writeFile(
      recordsDump,
      await pgClient(bin!, "pg_dump", superOf("records"), [
        "--exclude-table-data=message_keys",
        "--exclude-table-data=file_keys",
        "--exclude-table-data=record_keys",
      ]),
    );
    for (const dump of [fullDump, recordsDump]) {
      const content = await readFile(dump, "utf8");
      expect(content).toContain(world.patient.name);
      for (const marker of [textMarker, fileMarker, totpMarker, keptMarker])
        expect(content).not.toContain(marker);
    }
  }, 120_000);

  it("REC-2 DEL-2: after deletion no file of the cluster or of the storage folder holds the text or the file name, and their keys are gone", async () => {
    await world.run(async (s) => {
      await s.messages.erase([text.id], { kind: "deleted", deletedAt: at(5), deletedBy: ref(world.admin) });
      await s.files.remove(fileId);
      await s.messages.erase([fileMessage.id], {
        kind: "deleted",
        deletedAt: at(6),
        deletedBy: ref(world.admin),
      });
    });
    await blobs.remove(storageKey);
    for (const marker of [textMarker, fileMarker, totpMarker])
      expect(await checkpointAndScan(marker)).toEqual([]);
    expect(await filesHolding(storageFolder(), fileMarker)).toEqual([]);
    expect(await filesHolding(storageFolder(), "%PDF-1.4")).toEqual([]);
    const keys = await sql<{
      n: number;
    }>`select count(*)::int as n from message_keys where message_id = ${text.id}
      union all select count(*)::int from file_keys where file_id = ${fileId}`.execute(inspect);
    expect(keys.rows.map((row) => row.n)).toEqual([0, 0]);
  }, 120_000);

  it("REC-2 DEL-3: the records' backup taken before the deletion, restored beside today's data keys, holds the message as ciphertext whose key is gone, and the product shows it deleted", async () => {
    await pgClient(bin!, "psql", server.superUrl, ["-c", "CREATE DATABASE restored OWNER clinic_owner"]);
    await pgClient(bin!, "psql", superOf("restored"), ["-q", "-v", "ON_ERROR_STOP=1", "-f", recordsDump]);
    const keysNow = await pgClient(bin!, "pg_dump", superOf("records"), [
      "--data-only",
      "--table=message_keys",
      "--table=file_keys",
      "--table=record_keys",
    ]);
    await writeFile(join(root, "keys.sql"), keysNow);
    await pgClient(bin!, "psql", superOf("restored"), [
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-f",
      join(root, "keys.sql"),
    ]);
    const restoredInspect = connectPostgres(superOf("restored"), { max: 1 });
    const restored = await openProduct("restored");
    try {
      const row = await sql<{ body_kind: string; text: string | null; key: number }>`
        select body_kind, text, (select count(*)::int from message_keys k where k.message_id = m.id) as key
          from messages m where id = ${text.id}`.execute(restoredInspect);
      expect(row.rows[0]?.body_kind).toBe("text");
      expect(row.rows[0]?.text?.length).toBeGreaterThan(textMarker.length);
      expect(row.rows[0]?.text).not.toContain(textMarker);
      expect(row.rows[0]?.key).toBe(0);
      await restored.uow.run(world.clinic.id, async (s) => {
        const history = await s.messages.history(conversationId, { limit: 10 });
        const byId = new Map(history.map((message) => [message.id, message.body]));
        expect(byId.get(text.id)).toEqual({
          kind: "deleted",
          deletedAt: text.sentAt,
          deletedBy: text.sender,
        });
        expect(byId.get(kept.id)).toEqual({ kind: "text", text: `Still here ${keptMarker}` });
        expect((await s.files.get(fileId))?.name).toBe("");
      });
    } finally {
      await restored.close();
      await restoredInspect.destroy();
    }
  }, 180_000);
});
