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

/** What a storage under test tells of a message as stored, beside what its store answers. */
export interface StoredMessages {
  /** Whether the stored text of the message is sealed under its data key (REC-1). */
  isSealed(messageId: string): Promise<boolean>;
}

/**
 * MessageStore.getMany: many messages in one read, in the order asked, each once, opened as
 * `get` opens one; unknown ids and another clinic's are left out (ELIG-5). With `stored`, the
 * texts read are proven sealed where they are kept (REC-1).
 */
export function messageGetManyContract(factory: UnitOfWorkFactory, stored?: StoredMessages): void {
  describe("MessageStore.getMany", () => {
    let world: World;
    let conversation: Conversation;
    let sent: Message[];
    beforeEach(async () => {
      world = await seedWorld(factory);
      conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
      sent = await world.run(async (s) => {
        const all: Message[] = [];
        for (let i = 1; i <= 4; i++)
          all.push(await postText(s, conversation.id, ref(world.patient), `Note number ${i}`, at(i)));
        return all;
      });
    });

    it("reads the messages in the order of the ids asked, each once, as get reads each", async () => {
      const [first, second, third, fourth] = sent as [Message, Message, Message, Message];
      await world.run(async (s) => {
        const ids = [third.id, first.id, fourth.id, third.id, second.id];
        expect(await s.messages.getMany(ids)).toEqual([third, first, fourth, second]);
        const one = await Promise.all([third, first, fourth, second].map((m) => s.messages.get(m.id)));
        expect(await s.messages.getMany(ids)).toEqual(one);
        expect(await s.messages.getMany([])).toEqual([]);
      });
    });

    it("leaves out ids of no message", async () => {
      const [first, second] = sent as [Message, Message];
      await world.run(async (s) => {
        expect(await s.messages.getMany([newId("msg"), second.id, "no-such-message", first.id])).toEqual([
          second,
          first,
        ]);
        expect(await s.messages.getMany([newId("msg")])).toEqual([]);
      });
    });

    it("ELIG-5: leaves out another clinic's messages", async () => {
      const foreign = patientConversation(world, world.foreignPatient);
      const theirs = await world.runOther(async (s) => {
        const own = { ...foreign, clinicId: world.otherClinic.id };
        await s.conversations.create(own, [ref(world.foreignPatient), ref(world.foreignStaff)]);
        return postText(s, own.id, ref(world.foreignPatient), "Their note", at(1));
      });
      const ours = sent[0]!;
      expect(await world.runOther((s) => s.messages.getMany([ours.id, theirs.id]))).toEqual([theirs]);
      expect(await world.run((s) => s.messages.getMany([theirs.id, ours.id]))).toEqual([ours]);
    });

    it("REC-1: opens each text sealed under its own key", async () => {
      if (stored) {
        for (const message of sent) expect(await stored.isSealed(message.id)).toBe(true);
      }
      const read = await world.run((s) => s.messages.getMany(sent.map((m) => m.id)));
      expect(read.map((m) => m.body)).toEqual(
        [1, 2, 3, 4].map((i) => ({ kind: "text", text: `Note number ${i}` })),
      );
    });

    it("DEL-2 DEL-3: reads an erased message as only who deleted it and when, beside the others", async () => {
      const [first, second] = sent as [Message, Message];
      const body = { kind: "deleted" as const, deletedAt: at(9), deletedBy: ref(world.admin) };
      await world.run((s) => s.messages.erase([first.id], body));
      const read = await world.run((s) => s.messages.getMany([first.id, second.id]));
      expect(read).toEqual([{ ...first, body }, second]);
      expect(JSON.stringify(read)).not.toContain("Note number 1");
    });
  });
}
