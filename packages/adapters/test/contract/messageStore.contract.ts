import type { Conversation, Message } from "@clinic-chat/domain";
import { beforeEach, describe, expect, it } from "vitest";
import {
  at,
  newId,
  patientConversation,
  postOnce,
  postText,
  ref,
  seedWorld,
  teamConversation,
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
        await s.messages.post([file]);
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
        world.run((s) => s.messages.post([{ ...sent, seq: 2, clientId: newId("c") }])),
      ).rejects.toThrow();
      await expect(
        world.run((s) => s.messages.post([{ ...sent, id: newId("msg"), seq: 2 }])),
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

    it("MSG-2: a cursor past the newest message, or a page larger than the conversation, reads the same pages as ever", async () => {
      await world.run(async (s) => {
        for (let i = 1; i <= 5; i++) await postText(s, conversation.id, ref(world.patient), `m${i}`, at(i));
      });
      await world.run(async (s) => {
        const seqs = async (query: { limit: number; beforeSeq?: number | null }) =>
          (await s.messages.history(conversation.id, query)).map((m) => m.seq);
        expect(await seqs({ limit: 2, beforeSeq: 6 })).toEqual([5, 4]);
        expect(await seqs({ limit: 2, beforeSeq: 1_000_000 })).toEqual([5, 4]);
        expect(await seqs({ limit: 3, beforeSeq: 5 })).toEqual([4, 3, 2]);
        expect(await seqs({ limit: 100, beforeSeq: 3 })).toEqual([2, 1]);
        expect(await seqs({ limit: 100 })).toEqual([5, 4, 3, 2, 1]);
        expect(await seqs({ limit: 1 })).toEqual([5]);
        expect(await s.messages.history("no-such-conversation", { limit: 5, beforeSeq: 3 })).toEqual([]);
        expect(await s.messages.history("no-such-conversation", { limit: 5 })).toEqual([]);
      });
    });

    it("DEL-2 DEL-3: erasing leaves only who deleted it and when", async () => {
      const sent = await world.run((s) => postText(s, conversation.id, ref(world.patient), "Secret", at(1)));
      const body = { kind: "deleted" as const, deletedAt: at(2), deletedBy: ref(world.admin) };
      await world.run((s) => s.messages.erase([sent.id], body));
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
        await s.messages.erase([sent.id], {
          kind: "deleted",
          deletedAt: at(2),
          deletedBy: ref(world.foreignStaff),
        });
      });
      expect(await world.run((s) => s.messages.get(sent.id))).toEqual(sent);
    });

    it("MSG-1 MSG-2: a post once per client id numbers the message, stores it, moves the activity time and appends its event", async () => {
      await world.run((s) => postText(s, conversation.id, ref(world.practitioner), "first", at(1)));
      const draft = {
        id: newId("msg"),
        clinicId: world.clinic.id,
        conversationId: conversation.id,
        clientId: newId("client"),
        sender: ref(world.patient),
        sentAt: at(5),
        body: { kind: "text" as const, text: "Hello" },
      };
      const lastEvent = await world.run(async (s) => (await s.events.after(0, 1000)).at(-1)?.id ?? 0);
      const posted = await world.run((s) => postOnce(s, draft));
      expect(posted).toEqual({ message: { ...draft, seq: 2 }, created: true });
      await world.run(async (s) => {
        expect(await s.messages.get(draft.id)).toEqual({ ...draft, seq: 2 });
        const stored = await s.conversations.get(conversation.id);
        expect(stored?.lastSeq).toBe(2);
        expect(stored?.lastActivityAt).toEqual(at(5));
        const events = await s.events.after(lastEvent, 10);
        expect(events).toEqual([
          {
            id: expect.any(Number),
            clinicId: world.clinic.id,
            conversationId: conversation.id,
            type: "message.posted",
            messageId: draft.id,
            person: ref(world.patient),
            seq: 2,
            at: at(5),
          },
        ]);
        const list = await s.conversations.listFor(ref(world.practitioner), { limit: 10 });
        expect(list.items[0]?.conversation.lastActivityAt).toEqual(at(5));
      });
    });

    it("MSG-1: a post once per client id, with a client id the sender used, writes nothing and answers the first message", async () => {
      const first = {
        id: newId("msg"),
        clinicId: world.clinic.id,
        conversationId: conversation.id,
        clientId: newId("client"),
        sender: ref(world.patient),
        sentAt: at(1),
        body: { kind: "text" as const, text: "Once" },
      };
      await world.run((s) => postOnce(s, first));
      const eventsBefore = await world.run((s) => s.events.after(0, 1000));
      const retry = {
        ...first,
        id: newId("msg"),
        sentAt: at(9),
        body: { kind: "text" as const, text: "Twice" },
      };
      expect(await world.run((s) => postOnce(s, retry))).toEqual({
        message: { ...first, seq: 1 },
        created: false,
      });
      await world.run(async (s) => {
        expect(await s.messages.get(retry.id)).toBeNull();
        const stored = await s.conversations.get(conversation.id);
        expect(stored?.lastSeq).toBe(1);
        expect(stored?.lastActivityAt).toEqual(at(1));
        expect(await s.events.after(0, 1000)).toEqual(eventsBefore);
      });
      // Another sender may use the same client id.
      const other = await world.run((s) => postOnce(s, { ...retry, sender: ref(world.practitioner) }));
      expect(other).toEqual({
        message: { ...retry, sender: ref(world.practitioner), seq: 2 },
        created: true,
      });
    });

    it("MSG-1: many posts in one unit of work, some retried, number the new ones without gaps", async () => {
      const clientIds = [newId("c"), newId("c"), newId("c")];
      const results = await world.run(async (s) => {
        const out = [];
        for (const clientId of [...clientIds, clientIds[1]!, clientIds[0]!]) {
          out.push(
            await postOnce(s, {
              id: newId("msg"),
              clinicId: world.clinic.id,
              conversationId: conversation.id,
              clientId,
              sender: ref(world.patient),
              sentAt: at(1),
              body: { kind: "text", text: clientId },
            }),
          );
        }
        return out;
      });
      expect(results.map((r) => [r.message.seq, r.created])).toEqual([
        [1, true],
        [2, true],
        [3, true],
        [2, false],
        [1, false],
      ]);
    });

    it("ELIG-5: a post once per client id into another clinic's conversation is NOT_FOUND and writes nothing", async () => {
      const draft = {
        id: newId("msg"),
        clinicId: world.otherClinic.id,
        conversationId: conversation.id,
        clientId: newId("client"),
        sender: ref(world.foreignStaff),
        sentAt: at(1),
        body: { kind: "text" as const, text: "Hello" },
      };
      await expect(world.runOther((s) => postOnce(s, draft))).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      expect((await world.run((s) => s.conversations.get(conversation.id)))?.lastSeq).toBe(0);
      expect(await world.run((s) => s.messages.history(conversation.id, { limit: 5 }))).toEqual([]);
    });

    it("MSG-1 MSG-2: post into a conversation reserved for posting numbers the message last + 1, stores it, moves the activity time (never back) and appends its event", async () => {
      await world.run((s) => postText(s, conversation.id, ref(world.practitioner), "first", at(5)));
      const lastEvent = await world.run(async (s) => (await s.events.after(0, 1000)).at(-1)?.id ?? 0);
      const clientId = newId("client");
      const message = await world.run(async (s) => {
        const [access] = await s.conversations.reserveForPosting([
          { conversationId: conversation.id, person: ref(world.patient), clientId, recipientsToNotify: [] },
        ]);
        expect(access!.sentBefore).toBeNull();
        const posted: Message = {
          id: newId("msg"),
          clinicId: world.clinic.id,
          conversationId: conversation.id,
          seq: (access!.conversation?.lastSeq ?? 0) + 1,
          clientId,
          sender: ref(world.patient),
          sentAt: at(7),
          body: { kind: "text", text: "Hello" },
        };
        await s.messages.post([posted]);
        return posted;
      });
      expect(message.seq).toBe(2);
      await world.run(async (s) => {
        expect(await s.messages.get(message.id)).toEqual(message);
        const stored = await s.conversations.get(conversation.id);
        expect(stored?.lastSeq).toBe(2);
        expect(stored?.lastActivityAt).toEqual(at(7));
        expect(await s.events.after(lastEvent, 10)).toEqual([
          {
            id: expect.any(Number),
            clinicId: world.clinic.id,
            conversationId: conversation.id,
            type: "message.posted",
            messageId: message.id,
            person: ref(world.patient),
            seq: 2,
            at: at(7),
          },
        ]);
        const list = await s.conversations.listFor(ref(world.practitioner), { limit: 10 });
        expect(list.items[0]?.conversation.lastActivityAt).toEqual(at(7));
        // A retry finds it once reserved.
        const [retry] = await s.conversations.reserveForPosting([
          { conversationId: conversation.id, person: ref(world.patient), clientId, recipientsToNotify: [] },
        ]);
        expect(retry!.sentBefore).toEqual(message);
      });
      // A message stamped earlier than the last activity leaves the activity time where it is.
      await world.run(async (s) => {
        await s.messages.post([
          {
            ...message,
            id: newId("msg"),
            seq: 3,
            clientId: newId("client"),
            sentAt: at(6),
          },
        ]);
      });
      const stored = await world.run((s) => s.conversations.get(conversation.id));
      expect(stored?.lastSeq).toBe(3);
      expect(stored?.lastActivityAt).toEqual(at(7));
    });

    it("MSG-1 MSG-2: post of several messages into several reserved conversations posts each as alone: numbered, stored, activity moved, one event each", async () => {
      const team = teamConversation(world, [world.practitioner, world.colleague]);
      await world.run((s) => s.conversations.create(team, [ref(world.practitioner), ref(world.colleague)]));
      await world.run((s) => postText(s, conversation.id, ref(world.practitioner), "first", at(5)));
      const lastEvent = await world.run(async (s) => (await s.events.after(0, 1000)).at(-1)?.id ?? 0);
      const posts = [
        { conversationId: team.id, sender: ref(world.colleague), sentAt: at(9) },
        { conversationId: conversation.id, sender: ref(world.patient), sentAt: at(8) },
      ];
      const messages = await world.run(async (s) => {
        const access = await s.conversations.reserveForPosting(
          posts.map((p) => ({
            conversationId: p.conversationId,
            person: p.sender,
            clientId: newId("client"),
            recipientsToNotify: [],
          })),
        );
        const batch = posts.map(
          (p, i): Message => ({
            id: newId("msg"),
            clinicId: world.clinic.id,
            conversationId: p.conversationId,
            seq: (access[i]?.conversation?.lastSeq ?? 0) + 1,
            clientId: newId("client"),
            sender: p.sender,
            sentAt: p.sentAt,
            body: { kind: "text", text: `into ${i}` },
          }),
        );
        await s.messages.post(batch);
        return batch;
      });
      expect(messages.map((m) => m.seq)).toEqual([1, 2]);
      await world.run(async (s) => {
        for (const message of messages) expect(await s.messages.get(message.id)).toEqual(message);
        expect(await s.conversations.get(team.id)).toMatchObject({ lastSeq: 1, lastActivityAt: at(9) });
        expect(await s.conversations.get(conversation.id)).toMatchObject({
          lastSeq: 2,
          lastActivityAt: at(8),
        });
        const events = await s.events.after(lastEvent, 10);
        expect(events.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))).toEqual(
          messages.map((m) => ({
            id: expect.any(Number),
            clinicId: world.clinic.id,
            conversationId: m.conversationId,
            type: "message.posted",
            messageId: m.id,
            person: m.sender,
            seq: m.seq,
            at: m.sentAt,
          })),
        );
        // Members' activity follows: the practitioner's list has both, the newest first.
        const list = await s.conversations.listFor(ref(world.practitioner), { limit: 10 });
        expect(list.items.map((i) => [i.conversation.id, i.conversation.lastActivityAt])).toEqual([
          [team.id, at(9)],
          [conversation.id, at(8)],
        ]);
        const colleague = await s.conversations.listFor(ref(world.colleague), { limit: 10 });
        expect(colleague.items.map((i) => i.conversation.lastActivityAt)).toEqual([at(9)]);
      });
    });

    it("MSG-1 MSG-2: post of nothing writes nothing, and two messages for one conversation are refused", async () => {
      await world.run((s) => postText(s, conversation.id, ref(world.practitioner), "first", at(5)));
      const eventsBefore = await world.run((s) => s.events.after(0, 1000));
      const before = await world.run((s) => s.conversations.get(conversation.id));
      await world.run((s) => s.messages.post([]));
      expect(await world.run((s) => s.events.after(0, 1000))).toEqual(eventsBefore);
      expect(await world.run((s) => s.conversations.get(conversation.id))).toEqual(before);
      const message = (seq: number): Message => ({
        id: newId("msg"),
        clinicId: world.clinic.id,
        conversationId: conversation.id,
        seq,
        clientId: newId("client"),
        sender: ref(world.patient),
        sentAt: at(6),
        body: { kind: "text", text: `number ${seq}` },
      });
      await expect(
        world.run(async (s) => {
          await s.conversations.reserveForPosting([
            {
              conversationId: conversation.id,
              person: ref(world.patient),
              clientId: newId("client"),
              recipientsToNotify: [],
            },
          ]);
          await s.messages.post([message(2), message(3)]);
        }),
      ).rejects.toThrow();
      expect(await world.run((s) => s.messages.history(conversation.id, { limit: 10 }))).toHaveLength(1);
      expect(await world.run((s) => s.events.after(0, 1000))).toEqual(eventsBefore);
    });
  });
}
