import type { NotificationQueue } from "@clinic-chat/domain";
import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { sealEarlierRecords } from "../../src/keys/sealEarlierRecords";
import { createPostgresAuthStore } from "../../src/postgres/auth/createPostgresAuthStore";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
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
      await s.scheduledMessages.save({
        id: scheduledId,
        clinicId: world.clinic.id,
        conversationId,
        authorId: world.practitioner.id,
        clientId: newId("client"),
        text: "earlier reminder",
        sendAt: at(600),
        status: "pending",
        messageId: null,
        refusal: null,
        authorEmailed: false,
        createdAt: at(1),
      });
    });
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

  it("REC-1: seals every earlier text (sent or scheduled), file name and TOTP secret in slices; the product reads them all as before; a second run finds nothing", async () => {
    const recordKeys = createRecordKeys(inMemoryKeyProvider());
    expect(await sealEarlierRecords(database.app, database.owner, recordKeys)).toBe(texts.length + 3);

    const plainLeft = await sql<{ n: number }>`select
        (select count(*)::int from messages where body_kind = 'text' and left(text, 1) <> chr(1))
      + (select count(*)::int from files where left(name, 1) <> chr(1))
      + (select count(*)::int from auth_credentials where totp_secret is not null and left(totp_secret, 1) <> chr(1))
      + (select count(*)::int from scheduled_messages where left(text, 1) <> chr(1)) as n`.execute(
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
    });
    await createPostgresAuthStore(database.app, { recordKeys }).run(world.clinic.id, async (s) => {
      expect((await s.credentials.get(ref(world.practitioner)))?.totpSecret).toBe("EARLIERSECRETBASE32");
    });
    expect(await sealEarlierRecords(database.app, database.owner, recordKeys)).toBe(0);
  }, 240_000);
});
