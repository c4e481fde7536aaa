import type { NotificationQueue } from "@clinic-chat/domain";
import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { sealEarlierRecords } from "../../src/keys/sealEarlierRecords";
import { createPostgresAuthStore } from "../../src/postgres/auth/createPostgresAuthStore";
import { createPostgresUnitOfWork, withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { scheduledSubject } from "../../src/postgres/templateStore";
import { at, newId, patientConversation, postText, ref, seedWorld, type World } from "../contract/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/postgres";
import { seedPasswordHash } from "../support/seedEveryTable";

const noTimers: NotificationQueue = { async schedule() {} };

describe("sealing what was written before records were sealed", () => {
  let database: TestDatabase;
  let world: World;
  let conversationId: string;
  const fileId = newId("file");
  const scheduledId = newId("scheduled");
  const underClinicKeyId = newId("scheduled");
  const broadcastId = newId("broadcast");
  const broadcastFileId = newId("bfile");
  const templateId = newId("template");
  const recordKeys = createRecordKeys(inMemoryKeyProvider());
  const scheduled = (id: string, text: string) => ({
    id,
    clinicId: world.clinic.id,
    conversationId,
    authorId: world.practitioner.id,
    clientId: newId("client"),
    text,
    sendAt: at(600),
    status: "pending" as const,
    messageId: null,
    refusal: null,
    authorEmailed: false,
    createdAt: at(1),
  });
  const texts = Array.from({ length: 450 }, (_, i) => `earlier message ${i}`);

  beforeAll(async () => {
    database = await createTestDatabase();
    // An earlier version of the product: no record keys.
    const plain = createPostgresUnitOfWork(database.app, { notificationQueue: () => noTimers });
    world = await seedWorld(() => plain);
    const conversation = patientConversation(world);
    conversationId = conversation.id;
    await world.run(async (s) => {
      await s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]);
      await s.files.create({
        id: fileId,
        clinicId: world.clinic.id,
        conversationId,
        uploader: ref(world.practitioner),
        clientId: newId("client"),
        name: "earlier scan.pdf",
        sizeBytes: 10,
        contentType: "application/pdf",
        storageKey: newId("key"),
        state: "ready",
        createdAt: at(1),
      });
      await s.scheduledMessages.save(scheduled(scheduledId, "earlier reminder"));
      await s.scheduledMessages.save(scheduled(underClinicKeyId, "reminder under the clinic key"));
      await s.templates.save({
        id: templateId,
        clinicId: world.clinic.id,
        scope: "clinic",
        ownerId: null,
        name: "Results",
        text: "earlier template text",
        updatedAt: at(1),
      });
      await s.broadcasts.create(
        {
          id: broadcastId,
          clinicId: world.clinic.id,
          authorId: world.admin.id,
          clientId: newId("client"),
          content: { kind: "text", text: "earlier broadcast text" },
          audience: { kind: "activePortal" },
          state: "scheduled",
          sendAt: at(900),
          createdAt: at(1),
        },
        [],
      );
      await s.broadcasts.createFile({
        id: broadcastFileId,
        clinicId: world.clinic.id,
        uploaderId: world.admin.id,
        name: "earlier flyer.pdf",
        sizeBytes: 10,
        contentType: "application/pdf",
        storageKey: newId("key"),
        state: "pending",
        createdAt: at(1),
      });
    });
    // A version that sealed text scheduled for later under the clinic's key itself.
    const underClinicKey = await withClinic(database.app, world.clinic.id, async (trx) =>
      (await recordKeys.forClinic(world.clinic.id, trx)).sealSecret(
        scheduledSubject(underClinicKeyId),
        "reminder under the clinic key",
      ),
    );
    await sql`update scheduled_messages set text = ${underClinicKey} where id = ${underClinicKeyId}`.execute(
      database.inspect,
    );
    for (const [i, text] of texts.entries()) {
      await world.run((s) => postText(s, conversationId, ref(world.patient), text, at(i)));
    }
    const auth = createPostgresAuthStore(database.app);
    await auth.run(world.clinic.id, async (s) => {
      await s.credentials.setPassword(
        ref(world.practitioner),
        "earlier@example.test",
        seedPasswordHash,
        at(0),
      );
      await s.credentials.startTotp(ref(world.practitioner), "EARLIERSECRETBASE32", at(0), null);
    });
  }, 240_000);

  afterAll(async () => {
    await database?.close();
  });

  it("REC-1: seals every earlier text (sent, scheduled, broadcast, template), file name and TOTP secret in slices; the product reads them all as before; a second run finds nothing", async () => {
    // Each message, file, TOTP secret, scheduled text (both), broadcast, broadcast file, template.
    expect(await sealEarlierRecords(database.app, database.owner, recordKeys)).toBe(texts.length + 7);

    const plainLeft = await sql<{ n: number }>`select
        (select count(*)::int from messages where body_kind = 'text' and left(text, 1) <> chr(1))
      + (select count(*)::int from files where left(name, 1) <> chr(1))
      + (select count(*)::int from auth_credentials where totp_secret is not null and left(totp_secret, 1) <> chr(1))
      + (select count(*)::int from scheduled_messages where left(text, 1) <> chr(1))
      + (select count(*)::int from broadcasts where left(text, 1) <> chr(1))
      + (select count(*)::int from broadcast_files where left(name, 1) <> chr(1))
      + (select count(*)::int from message_templates where left(text, 1) <> chr(1)) as n`.execute(
      database.inspect,
    );
    expect(plainLeft.rows[0]?.n).toBe(0);

    const sealed = createPostgresUnitOfWork(database.app, { notificationQueue: () => noTimers, recordKeys });
    await sealed.run(world.clinic.id, async (s) => {
      const page = await s.messages.history(conversationId, { limit: 1000 });
      expect(page.map((message) => (message.body.kind === "text" ? message.body.text : ""))).toEqual(
        [...texts].reverse(),
      );
      expect((await s.files.get(fileId))?.name).toBe("earlier scan.pdf");
      expect((await s.scheduledMessages.reserve(scheduledId))?.text).toBe("earlier reminder");
      expect((await s.scheduledMessages.reserve(underClinicKeyId))?.text).toBe(
        "reminder under the clinic key",
      );
      expect((await s.templates.get(templateId))?.text).toBe("earlier template text");
      expect((await s.broadcasts.get(broadcastId))?.content).toEqual({
        kind: "text",
        text: "earlier broadcast text",
      });
      expect((await s.broadcasts.file(broadcastFileId))?.name).toBe("earlier flyer.pdf");
    });
    const keyed = await sql<{ subject: string }>`select subject from record_keys order by subject`.execute(
      database.inspect,
    );
    expect(keyed.rows.map((row) => row.subject)).toEqual(
      [
        `broadcast-file/${broadcastFileId}`,
        `broadcast/${broadcastId}`,
        `scheduled/${scheduledId}`,
        `scheduled/${underClinicKeyId}`,
        `template/${templateId}`,
      ].sort(),
    );
    await createPostgresAuthStore(database.app, { recordKeys }).run(world.clinic.id, async (s) => {
      expect((await s.credentials.get(ref(world.practitioner)))?.totpSecret).toBe("EARLIERSECRETBASE32");
    });
    expect(await sealEarlierRecords(database.app, database.owner, recordKeys)).toBe(0);
  }, 240_000);

  it("REC-2: cancelling a broadcast or a scheduled message, deleting a template, removing a broadcast file or deleting the message a scheduled one became destroys its key", async () => {
    const sealed = createPostgresUnitOfWork(database.app, { notificationQueue: () => noTimers, recordKeys });
    const sentId = newId("scheduled");
    await sealed.run(world.clinic.id, async (s) => {
      await s.scheduledMessages.save(scheduled(sentId, "sent later"));
    });
    const sentAs = await sealed.run(world.clinic.id, (s) =>
      postText(s, conversationId, ref(world.practitioner), "sent later", at(700)),
    );
    await sealed.run(world.clinic.id, async (s) => {
      const reserved = await s.scheduledMessages.reserve(sentId);
      await s.scheduledMessages.save({ ...reserved!, status: "sent", messageId: sentAs.id });
    });
    const keyOf = async (subject: string) =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from record_keys where subject = ${subject}`.execute(database.inspect)
      ).rows[0]?.n;
    expect(await keyOf(`scheduled/${sentId}`)).toBe(1);

    await sealed.run(world.clinic.id, async (s) => {
      await s.broadcasts.setState(broadcastId, "cancelled");
      const reserved = await s.scheduledMessages.reserve(scheduledId);
      await s.scheduledMessages.save({ ...reserved!, status: "cancelled" });
      await s.templates.remove(templateId);
      expect(await s.broadcasts.removePendingFile(broadcastFileId)).toBe(true);
      await s.messages.erase([sentAs.id], {
        kind: "deleted",
        deletedAt: at(701),
        deletedBy: ref(world.admin),
      });
    });

    for (const subject of [
      `broadcast/${broadcastId}`,
      `scheduled/${scheduledId}`,
      `template/${templateId}`,
      `broadcast-file/${broadcastFileId}`,
      `scheduled/${sentId}`,
    ])
      expect(await keyOf(subject)).toBe(0);
    expect(await keyOf(`scheduled/${underClinicKeyId}`)).toBe(1);
    await sealed.run(world.clinic.id, async (s) => {
      expect((await s.broadcasts.get(broadcastId))?.content).toEqual({ kind: "text", text: "" });
      expect((await s.scheduledMessages.reserve(sentId))?.text).toBe("");
      expect((await s.scheduledMessages.reserve(underClinicKeyId))?.text).toBe(
        "reminder under the clinic key",
      );
    });
    const sentRow = await sql<{
      text: string;
    }>`select text from scheduled_messages where id = ${sentId}`.execute(database.inspect);
    expect(sentRow.rows[0]?.text).not.toContain("sent later");
  }, 120_000);
});
