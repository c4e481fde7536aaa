import type { Conversation, Message } from "@clinic-chat/domain";
import { beforeEach, describe, expect, it } from "vitest";
import {
  at,
  newId,
  patientConversation,
  postText,
  ref,
  seedWorld,
  type UnitOfWorkFactory,
  type World,
} from "./fixtures";

/** MessageStore: idempotent sends (MSG-1), history pages, and erasure (DEL-2, DEL-3). */
export function messageStoreContract(factory: UnitOfWorkFactory): void {
  describe("MessageStore", () => {
    let world: World;
    let conversation: Conversation;
    beforeEach(async () => {
      world = await seedWorld(factory);
      conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
    });

    it("reads back text and file messages", async () => {
      const text = await world.run((s) =>
        postText(s, conversation.id, ref(world.patient), "Hello doctor", at(1)),
      );
      const fileId = newId("file");
      const file: Message = {
        ...text,
        id: newId("msg"),
        seq: 2,
        clientId: newId("client"),
        body: { kind: "file", fileId },
      };
      await world.run(async (s) => {
        await s.files.create({
          id: fileId,
          clinicId: world.clinic.id,
          conversationId: conversation.id,
          uploader: ref(world.patient),
          clientId: file.clientId,
          name: "scan.pdf",
          sizeBytes: 10,
          contentType: "application/pdf",
          storageKey: newId("key"),
          state: "ready",
          createdAt: at(1),
        });
        await s.conversations.nextSeq(conversation.id, at(2));
        await s.messages.create(file);
      });
      await world.run(async (s) => {
        expect(await s.messages.get(text.id)).toEqual(text);
        expect(await s.messages.get(file.id)).toEqual(file);
      });
    });

    it("MSG-1: a retried send finds the first one by the sender's client id, and a duplicate is refused", async () => {
      const sent = await world.run((s) => postText(s, conversation.id, ref(world.patient), "Once", at(1)));
      await world.run(async (s) => {
        expect(await s.messages.findByClientId(conversation.id, ref(world.patient), sent.clientId)).toEqual(
          sent,
        );
        expect(
          await s.messages.findByClientId(conversation.id, ref(world.practitioner), sent.clientId),
        ).toBeNull();
        expect(await s.messages.findByClientId(conversation.id, ref(world.patient), "other")).toBeNull();
      });
      await expect(
        world.run((s) => s.messages.create({ ...sent, seq: 2, clientId: newId("c") })),
      ).rejects.toThrow();
    });

    it("history pages run newest first by sequence number", async () => {
      const sent = await world.run(async (s) => {
        const all: Message[] = [];
        for (let i = 1; i <= 5; i++)
          all.push(await postText(s, conversation.id, ref(world.patient), `m${i}`, at(i)));
        return all;
      });
      await world.run(async (s) => {
        const first = await s.messages.history(conversation.id, { limit: 2 });
        expect(first.map((m) => m.seq)).toEqual([5, 4]);
        const second = await s.messages.history(conversation.id, { limit: 2, beforeSeq: 4 });
        expect(second.map((m) => m.seq)).toEqual([3, 2]);
        const last = await s.messages.history(conversation.id, { limit: 2, beforeSeq: 2 });
        expect(last).toEqual([sent[0]]);
        expect(await s.messages.history(conversation.id, { limit: 2, beforeSeq: 1 })).toEqual([]);
        expect(await s.messages.history(conversation.id, { limit: 10, beforeSeq: null })).toHaveLength(5);
      });
    });

    it("DEL-2 DEL-3: erasing leaves only who deleted it and when", async () => {
      const sent = await world.run((s) => postText(s, conversation.id, ref(world.patient), "Secret", at(1)));
      const body = { kind: "deleted" as const, deletedAt: at(2), deletedBy: ref(world.admin) };
      await world.run((s) => s.messages.erase(sent.id, body));
      const erased = await world.run((s) => s.messages.get(sent.id));
      expect(erased).toEqual({ ...sent, body });
      expect(JSON.stringify(erased)).not.toContain("Secret");
      expect(await world.run((s) => s.messages.history(conversation.id, { limit: 5 }))).toEqual([
        { ...sent, body },
      ]);
    });

    it("ELIG-5: messages of another clinic read as missing and cannot be erased", async () => {
      const sent = await world.run((s) => postText(s, conversation.id, ref(world.patient), "Ours", at(1)));
      await world.runOther(async (s) => {
        expect(await s.messages.get(sent.id)).toBeNull();
        expect(
          await s.messages.findByClientId(conversation.id, ref(world.patient), sent.clientId),
        ).toBeNull();
        expect(await s.messages.history(conversation.id, { limit: 5 })).toEqual([]);
        await s.messages.erase(sent.id, {
          kind: "deleted",
          deletedAt: at(2),
          deletedBy: ref(world.foreignStaff),
        });
      });
      expect(await world.run((s) => s.messages.get(sent.id))).toEqual(sent);
    });
  });
}
