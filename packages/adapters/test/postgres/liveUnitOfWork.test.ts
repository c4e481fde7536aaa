import type { Message, NewConversationEvent } from "@clinic-chat/domain";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEventDoorbell,
  type EventDoorbell,
  liveEventsChannel,
} from "../../src/postgres/live/eventDoorbell";
import { createLivePostgresUnitOfWork } from "../../src/postgres/live/livePostgresUnitOfWork";
import { eventLogContract } from "../contract/eventLog.contract";
import { at, newId, patientConversation, ref, seedWorld, type World } from "../contract/fixtures";
import { unitOfWorkContract } from "../contract/unitOfWork.contract";
import { createTestDatabase, type TestDatabase } from "../support/postgres";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A doorbell that only records what it was rung with. */
function recordingDoorbell() {
  const rings: number[] = [];
  const doorbell: EventDoorbell = {
    ring: (id) => {
      rings.push(id);
    },
    close: async () => undefined,
  };
  return { rings, doorbell };
}

const noQueue = { notificationQueue: () => ({ schedule: async () => undefined }) };
const liveFactory = () =>
  createLivePostgresUnitOfWork(database.app, { ...noQueue, doorbell: recordingDoorbell().doorbell });

// The live unit of work is the same unit of work: the contracts hold for it unchanged.
unitOfWorkContract(liveFactory);
eventLogContract(liveFactory);

function posted(world: World, minute: number): NewConversationEvent {
  return {
    clinicId: world.clinic.id,
    conversationId: newId("conv"),
    type: "message.posted",
    messageId: newId("msg"),
    person: ref(world.patient),
    seq: 1,
    at: at(minute),
  };
}

describe("live unit of work", () => {
  it("MSG-2: rings the doorbell once per commit that appended events, with the newest id, never on rollback", async () => {
    const { rings, doorbell } = recordingDoorbell();
    const uow = createLivePostgresUnitOfWork(database.app, { ...noQueue, doorbell });
    const world = await seedWorld(() => uow);
    expect(rings).toEqual([]); // seeding wrote no events

    await uow.run(world.clinic.id, async (s) => {
      await s.events.append([posted(world, 1), posted(world, 2)]);
      await s.events.append([posted(world, 3)]);
    });
    const ids = (await uow.run(world.clinic.id, (s) => s.events.after(0, 10))).map((e) => e.id);
    expect(ids).toHaveLength(3);
    expect(rings).toEqual([Math.max(...ids)]);

    await expect(
      uow.run(world.clinic.id, async (s) => {
        await s.events.append([posted(world, 4)]);
        throw new Error("use case failed");
      }),
    ).rejects.toThrow("use case failed");
    await uow.run(world.clinic.id, (s) => s.events.append([]));
    expect(rings).toHaveLength(1);
  });

  it("MSG-1 MSG-2: a post written behind rings the doorbell with its event id once committed; one that fails (its number taken) fails the unit of work at the COMMIT, nothing of it commits, and nothing rings", async () => {
    const { rings, doorbell } = recordingDoorbell();
    const uow = createLivePostgresUnitOfWork(database.app, { ...noQueue, doorbell });
    const world = await seedWorld(() => uow);
    const conversation = patientConversation(world, world.otherPatient);
    await uow.run(world.clinic.id, (s) =>
      s.conversations.create(conversation, [ref(world.otherPatient), ref(world.practitioner)]),
    );
    const message = (seq: number, clientId = newId("client")): Message => ({
      id: newId("msg"),
      clinicId: world.clinic.id,
      conversationId: conversation.id,
      seq,
      clientId,
      sender: ref(world.practitioner),
      sentAt: at(seq),
      body: { kind: "text", text: `message ${seq}` },
    });
    const first = message(1);
    let postedBeforeCommit = false;
    await uow.run(world.clinic.id, async (s) => {
      await s.conversations.reserveForPosting([
        {
          conversationId: conversation.id,
          person: ref(world.practitioner),
          clientId: first.clientId,
          recipientsToNotify: ["patient"],
        },
      ]);
      await s.messages.post([first]);
      postedBeforeCommit = true;
    });
    expect(postedBeforeCommit).toBe(true);
    const events = await uow.run(world.clinic.id, (s) => s.events.after(0, 100));
    expect(events.map((e) => e.messageId)).toEqual([first.id]);
    expect(rings).toEqual([events[0]!.id]);

    let afterwards = false;
    await expect(
      uow.run(world.clinic.id, async (s) => {
        await s.messages.post([message(1)]);
        afterwards = true;
      }),
    ).rejects.toThrow(/duplicate key|unique/);
    expect(afterwards).toBe(true);
    expect(await uow.run(world.clinic.id, (s) => s.messages.history(conversation.id, { limit: 10 }))).toEqual(
      [first],
    );
    expect((await uow.run(world.clinic.id, (s) => s.events.after(0, 100))).map((e) => e.messageId)).toEqual([
      first.id,
    ]);
    expect(rings).toHaveLength(1);
  });

  it("MSG-2: a burst of rings becomes one NOTIFY carrying the newest id, sent outside any use case's transaction", async () => {
    const listener = postgres(database.ownerUrl, { max: 1, onnotice: () => undefined });
    const received: string[] = [];
    let notified = () => {};
    try {
      await listener.listen(liveEventsChannel, (payload) => {
        received.push(payload);
        notified();
      });
      const doorbell = createEventDoorbell(database.app, { intervalMs: 50 });
      for (let id = 1; id <= 200; id++) doorbell.ring(id);
      doorbell.ring(7); // a lower id committing late still rings, but the newest id stays the payload
      await doorbell.close();
      // A fence from another session, committed after the doorbell's NOTIFY: it arrives after it.
      const fence = new Promise<void>((resolve) => {
        notified = () => {
          if (received.includes("fence")) resolve();
        };
      });
      const other = postgres(database.ownerUrl, { max: 1, onnotice: () => undefined });
      try {
        await other`select pg_notify(${liveEventsChannel}, 'fence')`;
      } finally {
        await other.end({ timeout: 1 });
      }
      await fence;
      expect(received).toEqual(["200", "fence"]);
    } finally {
      await listener.end({ timeout: 1 });
    }
  });
});
