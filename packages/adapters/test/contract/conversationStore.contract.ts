import type { Message, NotificationState, PersonRef, PostingRequest } from "@clinic-chat/domain";
import { newInboxState } from "@clinic-chat/domain/inbox";
import { beforeEach, describe, expect, it } from "vitest";
import {
  at,
  newId,
  patientConversation,
  postText,
  ref,
  seedWorld,
  sortRefs,
  teamConversation,
  type UnitOfWorkFactory,
  type World,
} from "./fixtures";

/** ConversationStore: conversations, participants, sequence numbers, read state and the list (MSG-3). */
export function conversationStoreContract(factory: UnitOfWorkFactory): void {
  describe("ConversationStore", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });

    it("creates a conversation with its participants and finds it by id and by key", async () => {
      const conversation = patientConversation(world);
      const people = [ref(world.patient), ref(world.practitioner)];
      await world.run((s) => s.conversations.create(conversation, people));
      await world.run(async (s) => {
        expect(await s.conversations.get(conversation.id)).toEqual(conversation);
        expect(await s.conversations.claimKey(conversation.key)).toEqual(conversation);
        const participants = await s.conversations.participants(conversation.id);
        expect(sortRefs(participants.map((p) => p.person))).toEqual(sortRefs(people));
        expect(
          participants.every((p) => p.readUpToSeq === 0 && p.addedAt.getTime() === at(0).getTime()),
        ).toBe(true);
        expect(await s.conversations.participant(conversation.id, ref(world.practitioner))).toEqual({
          conversationId: conversation.id,
          person: ref(world.practitioner),
          addedAt: at(0),
          readUpToSeq: 0,
        });
        expect(await s.conversations.participant(conversation.id, ref(world.colleague))).toBeNull();
      });
    });

    it("START-1: opens the conversations of many patients at once: the existing one opened with the people it lacked joining, the missing one created, in the order asked", async () => {
      const existing = patientConversation(world);
      await world.run((s) => s.conversations.create(existing, [ref(world.patient), ref(world.practitioner)]));
      const missing = patientConversation(world, world.otherPatient, at(5));
      const opening = (conversation: typeof existing) => ({
        conversation,
        people: [ref(world.admin), { kind: "patient" as const, id: conversation.patientId! }],
      });
      const opened = await world.run((s) =>
        s.conversations.openPatientConversations([
          opening(missing),
          opening({ ...patientConversation(world, world.patient, at(5)), id: newId("unused") }),
        ]),
      );
      expect(opened).toEqual([
        { conversation: missing, created: true, joined: [] },
        { conversation: existing, created: false, joined: [ref(world.admin)] },
      ]);
      await world.run(async (s) => {
        expect(await s.conversations.claimKey(missing.key)).toEqual(missing);
        const people = await s.conversations.participants(missing.id);
        expect(sortRefs(people.map((p) => p.person))).toEqual(
          sortRefs([ref(world.admin), ref(world.otherPatient)]),
        );
        const joined = await s.conversations.participant(existing.id, ref(world.admin));
        expect(joined?.addedAt).toEqual(at(5));
        expect(await s.conversations.participants(existing.id)).toHaveLength(3);
      });
      // Opened again, nothing changes and nobody joins.
      const again = await world.run((s) =>
        s.conversations.openPatientConversations([
          opening({ ...patientConversation(world, world.otherPatient, at(9)), id: newId("unused") }),
        ]),
      );
      expect(again).toEqual([{ conversation: missing, created: false, joined: [] }]);
    });

    it("BCAST-1: a quiet member hears of the conversation but sees it in no list or inbox view until someone else writes in it, or they open it themselves", async () => {
      const admin = ref(world.admin);
      const opening = (patient = world.patient, quietly = [admin]) => ({
        conversation: patientConversation(world, patient, at(0)),
        people: [admin, ref(patient)],
        quietly,
      });
      const [first] = await world.run((s) => s.conversations.openPatientConversations([opening()]));
      const [second] = await world.run((s) =>
        s.conversations.openPatientConversations([opening(world.otherPatient)]),
      );
      const conversationId = first!.conversation.id;
      await world.run((s) => postText(s, conversationId, admin, "Closed on Friday", at(1)));
      await world.run((s) => postText(s, second!.conversation.id, admin, "Closed on Friday", at(1)));
      const listed = () =>
        world.run(async (s) => ({
          list: (await s.conversations.listFor(admin, { limit: 10 })).items.map((i) => i.conversation.id),
          inbox: (await s.inbox.list(world.admin.id, { view: "open", limit: 10 })).items.map(
            (i) => i.conversation.id,
          ),
          open: (await s.inbox.counts(world.admin.id)).open,
        }));
      expect(await listed()).toEqual({ list: [], inbox: [], open: 0 });
      // The patient sees it as usual.
      const patientList = await world.run((s) => s.conversations.listFor(ref(world.patient), { limit: 10 }));
      expect(patientList.items.map((i) => i.conversation.id)).toEqual([conversationId]);
      // A reply shows it to the quiet member.
      await world.run((s) => postText(s, conversationId, ref(world.patient), "Thanks!", at(2)));
      expect(await listed()).toEqual({ list: [conversationId], inbox: [conversationId], open: 1 });
      // Opened by the member themselves (not quietly), the other shows too; nobody joins again.
      const [reopened] = await world.run((s) =>
        s.conversations.openPatientConversations([opening(world.otherPatient, [])]),
      );
      expect(reopened).toEqual({ conversation: expect.anything(), created: false, joined: [] });
      expect((await listed()).list.sort()).toEqual([conversationId, second!.conversation.id].sort());
    });

    it("ELIG-3: a Team Chat takes a name and gives it back; null takes it away", async () => {
      const conversation = teamConversation(world, [world.practitioner, world.colleague]);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.practitioner), ref(world.colleague)]),
      );
      await world.run((s) => s.conversations.rename(conversation.id, "Front desk rota"));
      await world.run(async (s) => {
        expect((await s.conversations.get(conversation.id))?.name).toBe("Front desk rota");
        const access = await s.conversations.accessFacts(conversation.id, ref(world.practitioner));
        expect(access.conversation?.name).toBe("Front desk rota");
      });
      await world.run((s) => s.conversations.rename(conversation.id, null));
      await world.run(async (s) => expect((await s.conversations.get(conversation.id))?.name).toBeNull());
    });

    it("START-1: a second conversation with the same key is refused", async () => {
      const conversation = patientConversation(world);
      await world.run((s) => s.conversations.create(conversation, [ref(world.patient)]));
      await expect(
        world.run((s) =>
          s.conversations.create({ ...patientConversation(world), key: conversation.key }, []),
        ),
      ).rejects.toThrow();
    });

    it("ELIG-4: adding a teammate is idempotent and starts them unread-from-zero", async () => {
      const conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
      await world.run(async (s) => {
        await s.conversations.addParticipant(conversation.id, ref(world.colleague), at(5));
        await s.conversations.addParticipant(conversation.id, ref(world.colleague), at(6));
        await s.conversations.addParticipant("no-such-conversation", ref(world.colleague), at(6));
      });
      const added = await world.run((s) =>
        s.conversations.participant(conversation.id, ref(world.colleague)),
      );
      expect(added).toEqual({
        conversationId: conversation.id,
        person: ref(world.colleague),
        addedAt: at(5),
        readUpToSeq: 0,
      });
      expect(await world.run((s) => s.conversations.participants(conversation.id))).toHaveLength(3);
    });

    it("MSG-1: posts reserved one after another count from 1 without gaps and record the activity time", async () => {
      const conversation = patientConversation(world);
      await world.run((s) => s.conversations.create(conversation, [ref(world.patient)]));
      const seqs = await world.run(async (s) => [
        (await postText(s, conversation.id, ref(world.patient), "one", at(1))).seq,
        (await postText(s, conversation.id, ref(world.patient), "two", at(2))).seq,
      ]);
      expect(seqs).toEqual([1, 2]);
      const third = await world.run((s) => postText(s, conversation.id, ref(world.patient), "three", at(3)));
      expect(third.seq).toBe(3);
      const stored = await world.run((s) => s.conversations.get(conversation.id));
      expect(stored).toMatchObject({ lastSeq: 3, lastActivityAt: at(3), createdAt: at(0) });
      const [unknown] = await world.run((s) =>
        s.conversations.reserveForPosting([
          {
            conversationId: "no-such-conversation",
            person: ref(world.patient),
            clientId: "c",
            recipientsToNotify: [],
          },
        ]),
      );
      expect(unknown?.conversation).toBeNull();
      await expect(
        world.run((s) =>
          s.messages.post([
            { ...third, id: newId("msg"), clientId: "c", seq: 1, conversationId: "no-such-conversation" },
          ]),
        ),
      ).rejects.toThrow();
    });

    it("MSG-3: the read marker only moves forward; non-participants have none", async () => {
      const conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
      await world.run(async (s) => {
        expect(await s.conversations.markRead(conversation.id, ref(world.patient), 4)).toBe(4);
        expect(await s.conversations.markRead(conversation.id, ref(world.patient), 2)).toBe(4);
        expect(await s.conversations.markRead(conversation.id, ref(world.colleague), 3)).toBe(0);
        expect(await s.conversations.markRead("no-such-conversation", ref(world.patient), 3)).toBe(0);
      });
      expect(
        (await world.run((s) => s.conversations.participant(conversation.id, ref(world.patient))))
          ?.readUpToSeq,
      ).toBe(4);
    });

    it("MSG-3: the list is most recently active first, with unread counts of others' undeleted messages", async () => {
      const older = patientConversation(world, world.patient, at(0));
      const newer = patientConversation(world, world.otherPatient, at(1));
      const team = teamConversation(world, [world.practitioner, world.colleague], at(2));
      const me = ref(world.practitioner);
      let toDelete: Message | undefined;
      await world.run(async (s) => {
        await s.conversations.create(older, [ref(world.patient), me]);
        await s.conversations.create(newer, [ref(world.otherPatient), me]);
        await s.conversations.create(team, [ref(world.colleague), me]);
        await postText(s, older.id, ref(world.patient), "one", at(10));
        await postText(s, older.id, ref(world.patient), "two", at(11));
        await postText(s, older.id, me, "mine", at(12));
        toDelete = await postText(s, older.id, ref(world.patient), "three", at(13));
        await postText(s, newer.id, ref(world.otherPatient), "hello", at(5));
        await postText(s, team.id, me, "team", at(2));
      });
      await world.run(async (s) => {
        await s.messages.erase([toDelete!.id], {
          kind: "deleted",
          deletedAt: at(14),
          deletedBy: ref(world.patient),
        });
        await s.conversations.markRead(older.id, me, 1);
      });
      const { items, nextCursor } = await world.run((s) => s.conversations.listFor(me, { limit: 10 }));
      expect(nextCursor).toBeNull();
      expect(items.map((i) => i.conversation.id)).toEqual([older.id, newer.id, team.id]);
      expect(items.map((i) => i.unreadCount)).toEqual([1, 1, 0]);
      expect(items.map((i) => i.readUpToSeq)).toEqual([1, 0, 0]);
      expect(sortRefs(items[0]!.participants)).toEqual(sortRefs([ref(world.patient), me]));
      expect(items[0]!.conversation).toMatchObject({ lastSeq: 4, lastActivityAt: at(13) });
      expect(await world.run((s) => s.conversations.totalUnread(me))).toBe(2);
      expect(await world.run((s) => s.conversations.totalUnread(ref(world.patient)))).toBe(1);
      expect(await world.run((s) => s.conversations.totalUnread(ref(world.admin)))).toBe(0);
      expect(
        (await world.run((s) => s.conversations.listFor(ref(world.admin), { limit: 10 }))).items,
      ).toEqual([]);
    });

    it("START-3: a conversation never written in is in nobody's list until its first message", async () => {
      const conversation = patientConversation(world, world.patient, at(0));
      const me = ref(world.practitioner);
      await world.run((s) => s.conversations.create(conversation, [ref(world.patient), me]));
      for (const person of [me, ref(world.patient)])
        expect((await world.run((s) => s.conversations.listFor(person, { limit: 10 }))).items).toEqual([]);
      await world.run((s) => postText(s, conversation.id, me, "first", at(1)));
      for (const person of [me, ref(world.patient)])
        expect(
          (await world.run((s) => s.conversations.listFor(person, { limit: 10 }))).items.map(
            (i) => i.conversation.id,
          ),
        ).toEqual([conversation.id]);
    });

    it("MSG-3: paging with the cursor returns every conversation exactly once, in order", async () => {
      const me = ref(world.colleague);
      // Each written in once (START-3), its activity as given.
      const conversations = [0, 1, 2, 3, 4].map((i) => ({
        ...teamConversation(world, [world.colleague], at(i % 2 === 0 ? 7 : i)),
        lastSeq: 1,
      }));
      await world.run(async (s) => {
        for (const c of conversations) await s.conversations.create(c, [me]);
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof listPage>> = await listPage(cursor);
        seen.push(...page.items.map((i) => i.conversation.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      function listPage(after: string | null) {
        return world.run((s) => s.conversations.listFor(me, { limit: 2, cursor: after }));
      }
      expect(pages).toBe(3);
      const expected = [...conversations]
        .sort(
          (a, b) =>
            b.lastActivityAt.getTime() - a.lastActivityAt.getTime() ||
            (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
        )
        .map((c) => c.id);
      expect(seen).toEqual(expected);
    });

    it("ELIG-5: conversations of another clinic read as missing and list as nothing", async () => {
      const conversation = patientConversation(world);
      await world.run(async (s) => {
        await s.conversations.create(conversation, [ref(world.patient)]);
        await postText(s, conversation.id, ref(world.patient), "hi", at(1));
      });
      await world.runOther(async (s) => {
        expect(await s.conversations.get(conversation.id)).toBeNull();
        expect(await s.conversations.claimKey(conversation.key)).toBeNull();
        expect(await s.conversations.participants(conversation.id)).toEqual([]);
        expect(await s.conversations.participant(conversation.id, ref(world.patient))).toBeNull();
        expect((await s.conversations.listFor(ref(world.patient), { limit: 5 })).items).toEqual([]);
        expect(await s.conversations.totalUnread(ref(world.practitioner))).toBe(0);
        expect(await s.conversations.markRead(conversation.id, ref(world.patient), 1)).toBe(0);
        const [reserved] = await s.conversations.reserveForPosting([
          {
            conversationId: conversation.id,
            person: ref(world.patient),
            clientId: "c",
            recipientsToNotify: [],
          },
        ]);
        expect(reserved?.conversation).toBeNull();
      });
      const first = (await world.run((s) => s.messages.history(conversation.id, { limit: 1 })))[0]!;
      await expect(
        world.runOther((s) =>
          s.messages.post([
            { ...first, id: newId("msg"), clinicId: world.otherClinic.id, clientId: "c", seq: 2 },
          ]),
        ),
      ).rejects.toThrow();
      expect((await world.run((s) => s.conversations.get(conversation.id)))?.lastSeq).toBe(1);
    });

    it("ELIG-4 ELIG-5 ELIG-6: access facts bring the person, the conversation with its participants and patient, and the clinic at once", async () => {
      const conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
      await world.run(async (s) => {
        expect(await s.conversations.accessFacts(conversation.id, ref(world.practitioner))).toEqual({
          clinic: world.clinic,
          person: { kind: "staff", staff: world.practitioner },
          conversation,
          participants: await s.conversations.participants(conversation.id).then((list) =>
            list.map((p) => ({
              ref: p.person,
              person:
                p.person.kind === "staff"
                  ? { kind: "staff", staff: world.practitioner }
                  : { kind: "patient", patient: world.patient },
            })),
          ),
          patient: world.patient,
        });
        const asPatient = await s.conversations.accessFacts(conversation.id, ref(world.patient));
        expect(asPatient.person).toEqual({ kind: "patient", patient: world.patient });
        // Not a participant: the facts say so by leaving them out; the domain decides (ELIG-4).
        const asColleague = await s.conversations.accessFacts(conversation.id, ref(world.colleague));
        expect(asColleague.person).toEqual({ kind: "staff", staff: world.colleague });
        expect(sortRefs(asColleague.participants.map((p) => p.ref))).toEqual(
          sortRefs([ref(world.patient), ref(world.practitioner)]),
        );
      });
    });

    it("ELIG-6: access facts carry the person's state as stored, and a Team Chat has no patient", async () => {
      const inactive = { ...world.colleague, active: false };
      const team = teamConversation(world, [world.practitioner, inactive]);
      await world.run(async (s) => {
        await s.directory.saveStaff(inactive);
        await s.conversations.create(team, [ref(world.practitioner), ref(inactive)]);
      });
      const facts = await world.run((s) => s.conversations.accessFacts(team.id, ref(inactive)));
      expect(facts.person).toEqual({ kind: "staff", staff: inactive });
      expect(facts.conversation).toEqual(team);
      expect(facts.patient).toBeNull();
      // ELIG-6 facts of the participants too, for the rules about who hears of a message (NOTIF-3).
      expect(facts.participants.find((p) => p.ref.id === inactive.id)?.person).toEqual({
        kind: "staff",
        staff: inactive,
      });
    });

    it("ELIG-5: access facts of another clinic's conversation or person read as missing", async () => {
      const conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
      const unknown = await world.run((s) =>
        s.conversations.accessFacts("no-such-conversation", ref(world.practitioner)),
      );
      expect(unknown).toEqual({
        clinic: world.clinic,
        person: { kind: "staff", staff: world.practitioner },
        conversation: null,
        participants: [],
        patient: null,
      });
      const foreign = await world.runOther((s) =>
        s.conversations.accessFacts(conversation.id, ref(world.practitioner)),
      );
      expect(foreign).toEqual({
        clinic: world.otherClinic,
        person: null,
        conversation: null,
        participants: [],
        patient: null,
      });
      // A person is looked up by kind and id: a staff id asked about as a patient is nobody.
      const wrongKind = await world.run((s) =>
        s.conversations.accessFacts(conversation.id, { kind: "patient", id: world.practitioner.id }),
      );
      expect(wrongKind.person).toBeNull();
    });

    it("MSG-1 NOTIF-1 ELIG-4: reserveForPosting brings the access facts, the message sent with the client id, and the other participants' notification states of the kinds asked for, in lock order", async () => {
      const conversation = patientConversation(world);
      const people = [ref(world.patient), ref(world.practitioner), ref(world.colleague)];
      await world.run((s) => s.conversations.create(conversation, people));
      const clientId = newId("client");
      const sent: Message = {
        id: newId("msg"),
        clinicId: world.clinic.id,
        conversationId: conversation.id,
        seq: 1,
        clientId,
        sender: ref(world.practitioner),
        sentAt: at(1),
        body: { kind: "text", text: "Sent before" },
      };
      const burst: NotificationState = {
        status: "pending",
        burstId: newId("burst"),
        dueAt: at(3),
      };
      await world.run(async (s) => {
        await s.messages.post([sent]);
        await s.notifications.saveState(ref(world.patient), burst);
      });
      const inLockOrder = (refs: PersonRef[]) =>
        [...refs].sort((a, b) => (`${a.kind}:${a.id}` < `${b.kind}:${b.id}` ? -1 : 1));
      await world.run(async (s) => {
        const facts = await s.conversations.accessFacts(conversation.id, ref(world.practitioner));
        const [all] = await s.conversations.reserveForPosting([
          {
            conversationId: conversation.id,
            person: ref(world.practitioner),
            clientId,
            recipientsToNotify: ["patient", "staff"],
          },
        ]);
        expect(all).toEqual({
          ...facts,
          conversation: { ...conversation, lastSeq: 1, lastActivityAt: at(1) },
          sentBefore: sent,
          recipientStates: inLockOrder([ref(world.patient), ref(world.colleague)]).map((person) => ({
            person,
            state: person.kind === "patient" ? burst : { status: "idle" },
          })),
          // INBOX-1: the patient conversation's inbox state, as reserved.
          inbox: newInboxState(conversation.id),
        });
      });
      await world.run(async (s) => {
        const [patientsOnly] = await s.conversations.reserveForPosting([
          {
            conversationId: conversation.id,
            person: ref(world.practitioner),
            clientId: newId("client"),
            recipientsToNotify: ["patient"],
          },
        ]);
        expect(patientsOnly!.sentBefore).toBeNull();
        expect(patientsOnly!.recipientStates).toEqual([{ person: ref(world.patient), state: burst }]);
      });
      await world.run(async (s) => {
        // Client ids are the sender's own: another sender's same id finds nothing.
        const [other] = await s.conversations.reserveForPosting([
          { conversationId: conversation.id, person: ref(world.colleague), clientId, recipientsToNotify: [] },
        ]);
        expect(other!.sentBefore).toBeNull();
        expect(other!.recipientStates).toEqual([]);
      });
    });

    it("ELIG-4 ELIG-5: reserveForPosting by a non-participant locks no states, and another clinic's or an unknown conversation reads as missing", async () => {
      const conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
      const query = (conversationId: string, person: PersonRef): PostingRequest => ({
        conversationId,
        person,
        clientId: newId("client"),
        recipientsToNotify: ["patient", "staff"],
      });
      const [outsider] = await world.run((s) =>
        s.conversations.reserveForPosting([query(conversation.id, ref(world.colleague))]),
      );
      expect(outsider!.conversation?.id).toBe(conversation.id);
      expect(outsider!.recipientStates).toEqual([]);
      const [foreign] = await world.runOther((s) =>
        s.conversations.reserveForPosting([query(conversation.id, ref(world.foreignStaff))]),
      );
      expect(foreign).toEqual({
        clinic: world.otherClinic,
        person: { kind: "staff", staff: world.foreignStaff },
        conversation: null,
        participants: [],
        patient: null,
        sentBefore: null,
        recipientStates: [],
        inbox: null,
      });
      const [unknown] = await world.run((s) =>
        s.conversations.reserveForPosting([query("no-such-conversation", ref(world.practitioner))]),
      );
      expect(unknown!.conversation).toBeNull();
      expect(unknown!.sentBefore).toBeNull();
      expect(unknown!.recipientStates).toEqual([]);
      expect(unknown!.inbox).toBeNull();
    });

    it("MSG-1 NOTIF-1 ELIG-4 ELIG-5: reserveForPosting of several answers each request, in the order asked, exactly as it answers that request alone", async () => {
      // One conversation of each sort a batch meets: a staff participant retrying a used client id,
      // a patient sender, a non-participant, a Team Chat, another clinic's and an unknown one.
      const withRetry = patientConversation(world);
      const patientSends = patientConversation(world, world.otherPatient);
      const team = teamConversation(world, [world.practitioner, world.colleague]);
      const notMine = teamConversation(world, [world.admin, world.practitioner]);
      const foreign = {
        ...patientConversation(world, world.foreignPatient),
        clinicId: world.otherClinic.id,
      };
      const usedClientId = newId("client");
      const sent: Message = {
        id: newId("msg"),
        clinicId: world.clinic.id,
        conversationId: withRetry.id,
        seq: 1,
        clientId: usedClientId,
        sender: ref(world.practitioner),
        sentAt: at(1),
        body: { kind: "text", text: "Sent before" },
      };
      const burst: NotificationState = { status: "pending", burstId: newId("burst"), dueAt: at(3) };
      await world.run(async (s) => {
        await s.conversations.create(withRetry, [
          ref(world.patient),
          ref(world.practitioner),
          ref(world.colleague),
        ]);
        await s.conversations.create(patientSends, [ref(world.otherPatient), ref(world.practitioner)]);
        await s.conversations.create(team, [ref(world.practitioner), ref(world.colleague)]);
        await s.conversations.create(notMine, [ref(world.admin), ref(world.practitioner)]);
        await s.messages.post([sent]);
        await s.notifications.saveState(ref(world.patient), burst);
      });
      await world.runOther((s) => s.conversations.create(foreign, [ref(world.foreignPatient)]));
      const requests: PostingRequest[] = [
        {
          conversationId: withRetry.id,
          person: ref(world.practitioner),
          clientId: usedClientId,
          recipientsToNotify: ["patient", "staff"],
        },
        {
          conversationId: patientSends.id,
          person: ref(world.otherPatient),
          clientId: newId("client"),
          recipientsToNotify: ["staff"],
        },
        // The colleague's state is asked for here too: locked once, answered to both posts.
        {
          conversationId: team.id,
          person: ref(world.practitioner),
          clientId: newId("client"),
          recipientsToNotify: ["staff", "patient"],
        },
        {
          conversationId: notMine.id,
          person: ref(world.colleague),
          clientId: newId("client"),
          recipientsToNotify: ["patient", "staff"],
        },
        {
          conversationId: "no-such-conversation",
          person: ref(world.practitioner),
          clientId: newId("client"),
          recipientsToNotify: ["patient"],
        },
        {
          conversationId: foreign.id,
          person: ref(world.patient),
          clientId: newId("client"),
          recipientsToNotify: [],
        },
      ];
      const alone = [];
      for (const r of requests) {
        alone.push((await world.run((s) => s.conversations.reserveForPosting([r])))[0]);
      }
      // The singles are what the batch must give: spot-check they are the interesting answers.
      expect(alone[0]?.sentBefore).toEqual(sent);
      expect(alone[0]?.recipientStates.map((r) => r.state)).toContainEqual(burst);
      expect(alone[1]?.recipientStates).toEqual([
        { person: ref(world.practitioner), state: { status: "idle" } },
      ]);
      expect(alone[2]?.recipientStates).toEqual([
        { person: ref(world.colleague), state: { status: "idle" } },
      ]);
      expect(alone[3]?.recipientStates).toEqual([]);
      expect(alone[4]?.conversation).toBeNull();
      expect(alone[5]?.conversation).toBeNull();
      expect(await world.run((s) => s.conversations.reserveForPosting(requests))).toEqual(alone);
      // In the order asked, whatever the order of the ids (at least one of the two is unsorted).
      expect(await world.run((s) => s.conversations.reserveForPosting([...requests].reverse()))).toEqual(
        [...alone].reverse(),
      );
      expect(await world.run((s) => s.conversations.reserveForPosting([]))).toEqual([]);
    });

    it("MSG-1: reserveForPosting refuses two requests for one conversation", async () => {
      const conversation = patientConversation(world);
      const other = teamConversation(world, [world.practitioner, world.colleague]);
      await world.run(async (s) => {
        await s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]);
        await s.conversations.create(other, [ref(world.practitioner), ref(world.colleague)]);
      });
      const request = (conversationId: string, person: PersonRef): PostingRequest => ({
        conversationId,
        person,
        clientId: newId("client"),
        recipientsToNotify: ["patient", "staff"],
      });
      await expect(
        world.run((s) =>
          s.conversations.reserveForPosting([
            request(conversation.id, ref(world.patient)),
            request(other.id, ref(world.colleague)),
            request(conversation.id, ref(world.practitioner)),
          ]),
        ),
      ).rejects.toThrow();
    });
  });
}
