import type { AuditEvent, Message, NotificationState, PersonRef, Stores } from "@clinic-chat/domain";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import {
  at,
  newId,
  patientConversation,
  patientOf,
  postOnce,
  postText,
  ref,
  seedWorld,
  staffOf,
  teamConversation,
  type World,
} from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

/**
 * Overlapping posts converged: one message created per client id, every post of a client id
 * answered with that message, and numbers 1..n without gaps (MSG-1).
 */
async function expectOneMessagePerClientId(
  world: World,
  conversationId: string,
  clientIds: readonly string[],
  results: readonly { message: Message; created: boolean }[],
): Promise<void> {
  expect(results.filter((r) => r.created)).toHaveLength(clientIds.length);
  for (const clientId of clientIds) {
    expect(
      new Set(results.filter((r) => r.message.clientId === clientId).map((r) => r.message.id)).size,
    ).toBe(1);
  }
  const numbers = clientIds.map((_, i) => i + 1);
  const stored = await world.run((s) => s.messages.history(conversationId, { limit: 100 }));
  expect(stored.map((m) => m.seq).sort((a, b) => a - b)).toEqual(numbers);
  expect((await world.run((s) => s.conversations.get(conversationId)))?.lastSeq).toBe(clientIds.length);
}

/** A promise to wait for, and the function that settles it. */
function signal(): { readonly promise: Promise<void>; readonly fire: () => void } {
  let fire = () => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

/** Resolves once some backend of this database waits for a lock; polls the catalog, never sleeps. */
async function someoneWaitsForALock(): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const waiting = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(pg.database().owner);
    if ((waiting.rows[0]?.n ?? 0) > 0) return;
  }
  throw new Error("no backend ever waited for a lock");
}

/**
 * A send's two steps on the stores, as the posting pipeline does them: the reservation of the
 * conversation, then the post when the client id is new. `hold` runs between the two, lock held.
 */
async function sendOnce(
  s: Stores,
  conversationId: string,
  sender: PersonRef,
  clientId: string,
  hold?: () => Promise<void>,
  recipientsToNotify: readonly PersonRef["kind"][] = ["patient"],
): Promise<{ message: Message; created: boolean }> {
  const [access] = await s.conversations.reserveForPosting([
    { conversationId, person: sender, clientId, recipientsToNotify },
  ]);
  if (!access) throw new Error("no answer");
  await hold?.();
  if (access.sentBefore) return { message: access.sentBefore, created: false };
  const conversation = access.conversation;
  if (!conversation) throw new Error("no conversation");
  const message: Message = {
    id: newId("msg"),
    clinicId: conversation.clinicId,
    conversationId,
    seq: conversation.lastSeq + 1,
    clientId,
    sender,
    sentAt: at(1),
    body: { kind: "text", text: clientId },
  };
  await s.messages.post([message]);
  return { message, created: true };
}

/** One post of {@link sendBatch}. */
interface BatchPost {
  readonly conversationId: string;
  readonly sender: PersonRef;
  readonly recipientsToNotify: readonly PersonRef["kind"][];
}

/**
 * Several sends' steps on the stores, as the posting pipeline does them: every conversation
 * reserved by one reserveForPosting, then all posted by one post. Each post is new (fresh client ids).
 */
async function sendBatch(s: Stores, posts: readonly BatchPost[]): Promise<Message[]> {
  const requests = posts.map((p) => ({
    conversationId: p.conversationId,
    person: p.sender,
    clientId: newId("client"),
    recipientsToNotify: p.recipientsToNotify,
  }));
  const access = await s.conversations.reserveForPosting(requests);
  const messages = requests.map((r, i): Message => {
    const conversation = access[i]?.conversation;
    if (!conversation) throw new Error("no conversation");
    return {
      id: newId("msg"),
      clinicId: conversation.clinicId,
      conversationId: r.conversationId,
      seq: conversation.lastSeq + 1,
      clientId: r.clientId,
      sender: r.person,
      sentAt: at(1),
      body: { kind: "text", text: r.clientId },
    };
  });
  await s.messages.post(messages);
  return messages;
}

describe("concurrency", () => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(pg.factory);
  });

  it("MSG-1: concurrent sends to one conversation get distinct numbers without gaps", async () => {
    const conversation = patientConversation(world);
    await world.run((s) =>
      s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
    );
    const sends = Array.from({ length: 12 }, (_, i) =>
      world.run((s) => postText(s, conversation.id, ref(world.patient), `message ${i}`, at(i))),
    );
    const seqs = (await Promise.all(sends)).map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await world.run((s) => s.conversations.get(conversation.id)))?.lastSeq).toBe(12);
  });

  it("MSG-1: overlapping posts, some with one client id, give one message per client id and numbers without gaps", async () => {
    const conversation = teamConversation(world, [world.practitioner, world.colleague]);
    await world.run((s) =>
      s.conversations.create(conversation, [ref(world.practitioner), ref(world.colleague)]),
    );
    const clientIds = Array.from({ length: 4 }, () => newId("client"));
    const posts = Array.from({ length: 16 }, (_, i) =>
      world.run((s) =>
        postOnce(s, {
          id: newId("msg"),
          clinicId: world.clinic.id,
          conversationId: conversation.id,
          clientId: clientIds[i % 4]!,
          sender: ref(world.colleague),
          sentAt: at(i),
          body: { kind: "text", text: `message ${i}` },
        }),
      ),
    );
    const results = await Promise.all(posts);
    await expectOneMessagePerClientId(world, conversation.id, clientIds, results);
  });

  it("BCAST-1 START-1: opening a patient's conversation for a broadcast while a post holds it neither waits for the post's memberships nor takes one before the conversation, so the two cannot deadlock", async () => {
    const patient = patientOf(world.clinic.id, "Opal Overlap");
    await world.run((s) => s.directory.savePatient(patient));
    const conversation = patientConversation(world, patient);
    await world.run((s) => s.conversations.create(conversation, [ref(patient), ref(world.practitioner)]));
    const { promise: gate, fire: release } = signal();
    const { promise: holding, fire: held } = signal();
    // A live post holds the conversation and its memberships until released.
    const post = world.run(async (s) => {
      const [message] = await sendBatch(s, [
        { conversationId: conversation.id, sender: ref(world.practitioner), recipientsToNotify: ["patient"] },
      ]);
      held();
      await gate;
      return message;
    });
    await holding;
    const opened = await world.run((s) =>
      s.conversations.openPatientConversations([
        {
          conversation: { ...patientConversation(world, patient), id: newId("unused") },
          people: [ref(world.admin), ref(patient)],
          quietly: [ref(world.admin)],
        },
      ]),
    );
    expect(opened).toEqual([
      {
        conversation: expect.objectContaining({ id: conversation.id }),
        created: false,
        joined: [ref(world.admin)],
      },
    ]);
    release();
    expect((await post)?.seq).toBe(1);
  });

  it("MSG-1: a post with a client id in flight waits for it, then answers its message and reserves no number", async () => {
    const conversation = teamConversation(world, [world.practitioner, world.colleague]);
    await world.run((s) =>
      s.conversations.create(conversation, [ref(world.practitioner), ref(world.colleague)]),
    );
    const draft = {
      id: newId("msg"),
      clinicId: world.clinic.id,
      conversationId: conversation.id,
      clientId: newId("client"),
      sender: ref(world.colleague),
      sentAt: at(1),
      body: { kind: "text" as const, text: "once" },
    };
    const { promise: gate, fire: release } = signal();
    const { promise: holding, fire: posted } = signal();
    const first = world.run(async (s) => {
      const result = await postOnce(s, draft);
      posted();
      await gate;
      return result;
    });
    await holding;
    let retried = false;
    const retry = world.run(async (s) => {
      const result = await postOnce(s, { ...draft, id: newId("msg"), sentAt: at(2) });
      retried = true;
      return result;
    });
    await someoneWaitsForALock();
    expect(retried).toBe(false);
    release();
    expect(await first).toEqual({ message: { ...draft, seq: 1 }, created: true });
    expect(await retry).toEqual({ message: { ...draft, seq: 1 }, created: false });
    expect((await world.run((s) => s.conversations.get(conversation.id)))?.lastSeq).toBe(1);
  });

  it("NOTIF-1: reading a recipient's state locks it until the unit of work ends", async () => {
    const recipient = ref(world.practitioner);
    const burst: NotificationState = {
      status: "pending",
      burstId: newId("burst"),
      dueAt: at(2),
    };
    const { promise: gate, fire: release } = signal();
    const { promise: holding, fire: locked } = signal();
    const first = world.run(async (s) => {
      expect(await s.notifications.state(recipient)).toEqual({ status: "idle" });
      locked();
      await gate;
      await s.notifications.saveState(recipient, burst);
    });
    await holding;
    let secondRead = false;
    const second = world.run(async (s) => {
      const state = await s.notifications.state(recipient);
      secondRead = true;
      return state;
    });
    await someoneWaitsForALock();
    expect(secondRead).toBe(false);
    release();
    await first;
    expect(await second).toEqual(burst);
  });

  it("NOTIF-1: lockStates locks every recipient it reads until the unit of work ends", async () => {
    const recipient = ref(world.colleague);
    const burst: NotificationState = {
      status: "pending",
      burstId: newId("burst"),
      dueAt: at(3),
    };
    const { promise: gate, fire: release } = signal();
    const { promise: holding, fire: locked } = signal();
    const first = world.run(async (s) => {
      expect(await s.notifications.reserveStates([ref(world.admin), recipient])).toEqual([
        { status: "idle" },
        { status: "idle" },
      ]);
      locked();
      await gate;
      await s.notifications.saveState(recipient, burst);
    });
    await holding;
    let secondRead = false;
    const second = world.run(async (s) => {
      const states = await s.notifications.reserveStates([recipient]);
      secondRead = true;
      return states;
    });
    await someoneWaitsForALock();
    expect(secondRead).toBe(false);
    release();
    await first;
    expect(await second).toEqual([burst]);
  });

  it("MSG-1: overlapping sends read under the conversation's lock (accessForPost, then post), some with one client id, give one message per client id and numbers without gaps", async () => {
    const conversation = teamConversation(world, [world.practitioner, world.admin]);
    await world.run((s) => s.conversations.create(conversation, [ref(world.practitioner), ref(world.admin)]));
    const clientIds = Array.from({ length: 4 }, () => newId("client"));
    const sends = Array.from({ length: 16 }, (_, i) =>
      world.run((s) => sendOnce(s, conversation.id, ref(world.practitioner), clientIds[i % 4]!)),
    );
    const results = await Promise.all(sends);
    await expectOneMessagePerClientId(world, conversation.id, clientIds, results);
  });

  it("MSG-1 NOTIF-1: a send with a client id in flight waits at accessForPost (the conversation and the recipient's state are locked), then finds its message", async () => {
    const conversation = patientConversation(world, world.otherPatient);
    await world.run((s) =>
      s.conversations.create(conversation, [ref(world.otherPatient), ref(world.practitioner)]),
    );
    const clientId = newId("client");
    const { promise: gate, fire: release } = signal();
    const { promise: holding, fire: locked } = signal();
    const first = world.run((s) =>
      sendOnce(s, conversation.id, ref(world.practitioner), clientId, async () => {
        locked();
        await gate;
      }),
    );
    await holding;
    let retried = false;
    const retry = world.run(async (s) => {
      const result = await sendOnce(s, conversation.id, ref(world.practitioner), clientId);
      retried = true;
      return result;
    });
    await someoneWaitsForALock();
    expect(retried).toBe(false);
    release();
    const sent = await first;
    expect(sent.created).toBe(true);
    expect(await retry).toEqual({ message: sent.message, created: false });
    expect((await world.run((s) => s.conversations.get(conversation.id)))?.lastSeq).toBe(1);
  });

  it("MSG-3 NOTIF-1: a send and the recipient's read marker overlapping lock in one order (participants before states), so neither deadlocks", async () => {
    const reader = patientOf(world.clinic.id, "Reading Patient");
    await world.run((s) => s.directory.savePatient(reader));
    const conversation = patientConversation(world, reader);
    await world.run((s) => s.conversations.create(conversation, [ref(reader), ref(world.practitioner)]));
    const { promise: gate, fire: release } = signal();
    const { promise: holding, fire: marked } = signal();
    // The patient's read marker, as markRead's use case does it: their membership row, then their state.
    const read = world.run(async (s) => {
      await s.conversations.markRead(conversation.id, ref(reader), 0);
      marked();
      await gate;
      await s.notifications.reserveStates([ref(reader)]);
    });
    await holding;
    const send = world.run((s) => sendOnce(s, conversation.id, ref(world.practitioner), newId("client")));
    // The send waits for the patient's membership row before it touches the patient's state...
    await someoneWaitsForALock();
    release();
    // ...so the read marker takes the state and commits, and the send goes on: no deadlock (40P01).
    const [readDone, sent] = await Promise.allSettled([read, send]);
    expect(readDone.status).toBe("fulfilled");
    expect(sent.status).toBe("fulfilled");
    expect((await world.run((s) => s.conversations.get(conversation.id)))?.lastSeq).toBe(1);
  });

  it("NOTIF-1: someone added while a send waits for the conversation's lock is among its participants and their state is locked", async () => {
    const conversation = teamConversation(world, [world.practitioner, world.admin]);
    await world.run((s) => s.conversations.create(conversation, [ref(world.practitioner), ref(world.admin)]));
    const newcomer = staffOf(world.clinic.id, "Joining Colleague");
    await world.run((s) => s.directory.saveStaff(newcomer));
    const { promise: gate, fire: release } = signal();
    const { promise: holding, fire: holdingLock } = signal();
    // Adding a teammate under the conversation's lock, as a send or addParticipant would hold it.
    const adding = world.run(async (s) => {
      await s.conversations.reserveForPosting([
        {
          conversationId: conversation.id,
          person: ref(world.admin),
          clientId: newId("client"),
          recipientsToNotify: [],
        },
      ]);
      await s.conversations.addParticipant(conversation.id, ref(newcomer), at(2));
      holdingLock();
      await gate;
    });
    await holding;
    const access = world.run(async (s) => {
      const [facts] = await s.conversations.reserveForPosting([
        {
          conversationId: conversation.id,
          person: ref(world.practitioner),
          clientId: newId("client"),
          recipientsToNotify: ["staff"],
        },
      ]);
      if (!facts) throw new Error("no answer");
      return facts;
    });
    await someoneWaitsForALock();
    release();
    await adding;
    const facts = await access;
    expect(facts.participants.map((p) => p.ref)).toContainEqual(ref(newcomer));
    expect(facts.recipientStates.map((r) => r.person)).toContainEqual(ref(newcomer));
  });

  it("MSG-1 NOTIF-1: batches (reserveForPosting + post) on A and B, in both orders, and single sends on B and on A, many at once: no deadlock, every message stored, numbers 1..n without gaps", async () => {
    // More connections than the file's pool, so that many units of work really overlap.
    const db = connectPostgres(pg.database().appUrl, { max: 10 });
    try {
      const uow = createPostgresUnitOfWork(db, { notificationQueue: () => ({ schedule: async () => {} }) });
      const run = <T>(work: (s: Stores) => Promise<T>) => uow.run(world.clinic.id, work);
      const patient = patientOf(world.clinic.id, "Batched Patient");
      await run((s) => s.directory.savePatient(patient));
      // Overlapping members, so every kind of lock is shared: conversations, participants, states.
      const a = patientConversation(world, patient);
      const b = teamConversation(world, [world.practitioner, world.colleague, world.admin]);
      await run(async (s) => {
        await s.conversations.create(a, [ref(patient), ref(world.practitioner), ref(world.colleague)]);
        await s.conversations.create(b, [ref(world.practitioner), ref(world.colleague), ref(world.admin)]);
      });
      const intoA: BatchPost = { conversationId: a.id, sender: ref(patient), recipientsToNotify: ["staff"] };
      const intoB: BatchPost = {
        conversationId: b.id,
        sender: ref(world.admin),
        recipientsToNotify: ["staff"],
      };
      const rounds = 20;
      const work = Array.from({ length: rounds }, () => [
        run((s) => sendBatch(s, [intoA, intoB])),
        run((s) => sendOnce(s, b.id, ref(world.colleague), newId("client"), undefined, ["staff"])),
        run((s) =>
          sendOnce(s, a.id, ref(world.practitioner), newId("client"), undefined, ["patient", "staff"]),
        ),
        run((s) =>
          sendBatch(s, [
            { ...intoB, sender: ref(world.practitioner) },
            { ...intoA, recipientsToNotify: ["staff", "patient"] },
          ]),
        ),
      ]).flat();
      const settled = await Promise.allSettled(work);
      // A deadlock (40P01) or any other failure shows here with its message.
      expect(settled.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []))).toEqual([]);
      const perConversation = 3 * rounds;
      for (const conversation of [a, b]) {
        const stored = await run((s) => s.messages.history(conversation.id, { limit: 2 * perConversation }));
        expect(stored.map((m) => m.seq).sort((x, y) => x - y)).toEqual(
          Array.from({ length: perConversation }, (_, i) => i + 1),
        );
        expect((await run((s) => s.conversations.get(conversation.id)))?.lastSeq).toBe(perConversation);
        const events = await run((s) => s.events.after(0, 100_000));
        expect(
          events
            .filter((e) => e.conversationId === conversation.id)
            .map((e) => e.seq ?? 0)
            .sort((x, y) => x - y),
        ).toEqual(Array.from({ length: perConversation }, (_, i) => i + 1));
      }
    } finally {
      await db.destroy();
    }
  });

  it("MSG-1 SEC-3: a batch whose postAll fails commits nothing of its unit of work: no message, number, activity, event, audit record nor state", async () => {
    const recipient = staffOf(world.clinic.id, "Never Notified");
    await world.run((s) => s.directory.saveStaff(recipient));
    const a = teamConversation(world, [world.practitioner, recipient]);
    const b = teamConversation(world, [world.colleague, world.admin]);
    await world.run(async (s) => {
      await s.conversations.create(a, [ref(world.practitioner), ref(recipient)]);
      await s.conversations.create(b, [ref(world.colleague), ref(world.admin)]);
    });
    const used = await world.run((s) =>
      sendOnce(s, b.id, ref(world.colleague), newId("client"), undefined, []),
    );
    const before = await world.run(async (s) => ({
      a: await s.conversations.get(a.id),
      b: await s.conversations.get(b.id),
      events: await s.events.after(0, 100_000),
      audit: (await s.audit.list({ limit: 1000 })).items,
      list: (await s.conversations.listFor(ref(world.practitioner), { limit: 100 })).items,
    }));
    const auditRecord: AuditEvent = {
      clinicId: world.clinic.id,
      actor: ref(world.practitioner),
      action: "message.send",
      conversationId: a.id,
      at: at(7),
      ip: null,
      outcome: "success",
    };
    const fresh: Message = {
      id: newId("msg"),
      clinicId: world.clinic.id,
      conversationId: a.id,
      seq: 1,
      clientId: newId("client"),
      sender: ref(world.practitioner),
      sentAt: at(7),
      body: { kind: "text", text: "rolled back" },
    };
    await expect(
      world.run(async (s) => {
        const access = await s.conversations.reserveForPosting([
          {
            conversationId: a.id,
            person: ref(world.practitioner),
            clientId: fresh.clientId,
            recipientsToNotify: ["staff"],
          },
          {
            conversationId: b.id,
            person: ref(world.colleague),
            clientId: newId("client"),
            recipientsToNotify: [],
          },
        ]);
        expect(access[0]?.recipientStates).toEqual([{ person: ref(recipient), state: { status: "idle" } }]);
        await s.audit.appendAll([auditRecord, { ...auditRecord, conversationId: b.id }]);
        // The second message reuses the colleague's client id in B: the unique key refuses it.
        await s.messages.post([
          fresh,
          { ...used.message, id: newId("msg"), seq: 2, sentAt: at(7), body: { kind: "text", text: "again" } },
        ]);
      }),
    ).rejects.toThrow(/duplicate key|unique/);
    await world.run(async (s) => {
      expect(await s.messages.get(fresh.id)).toBeNull();
      expect(await s.messages.history(a.id, { limit: 10 })).toEqual([]);
      expect(await s.messages.history(b.id, { limit: 10 })).toEqual([used.message]);
      expect(await s.conversations.get(a.id)).toEqual(before.a);
      expect(await s.conversations.get(b.id)).toEqual(before.b);
      expect(await s.events.after(0, 100_000)).toEqual(before.events);
      expect((await s.audit.list({ limit: 1000 })).items).toEqual(before.audit);
      expect((await s.conversations.listFor(ref(world.practitioner), { limit: 100 })).items).toEqual(
        before.list,
      );
    });
    // The recipient's state row, inserted idle under the lock, went with the rest.
    const states = await sql<{ n: number }>`
      select count(*)::int as n from notification_states
       where person_kind = 'staff' and person_id = ${recipient.id}`.execute(pg.database().inspect);
    expect(states.rows[0]?.n).toBe(0);
  });
});
