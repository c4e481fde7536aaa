import type { NotificationState } from "@clinic-chat/domain";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { at, newId, patientConversation, postText, ref, seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

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

  it("NOTIF-1: reading a recipient's state locks it until the unit of work ends", async () => {
    const recipient = ref(world.practitioner);
    const burst: NotificationState = {
      status: "pending",
      burstId: newId("burst"),
      dueAt: at(2),
      messages: [{ messageId: newId("msg"), conversationId: newId("conv"), seq: 1 }],
    };
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
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
});
