import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  createClinicChat,
  type NotificationDeps,
  type NotificationQueue,
  type UnitOfWork,
} from "@clinic-chat/domain";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../src/embedded/embeddedPostgres";
import { openKeyFileProvider } from "../src/keys/keyFileProvider";
import { createRecordKeys } from "../src/keys/recordKeys";
import { connectPostgres } from "../src/postgres/connectPostgres";
import { createPostgresUnitOfWork } from "../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../src/postgres/preparePostgres";
import { at, patientConversation, postText, ref, seedWorld, type World } from "../test/contract/fixtures";

// REC-1: figure 1 (one text sent, the unit of work of a send) and a history page of 50, with
// record keys (sealed text, a data key per message) beside the same without them, same server,
// same run, the two sides taking turns. The page is read twice: from the store alone (a unit of
// work that reads the page and nothing else) and as the product reads it (`readHistory`: the
// reader's access decided, the page, its audit record, the commit that keeps the record). Printed
// as p50/p99 and the ratios sealed / plain. Not a test: nothing here asserts on time.

const iterations = Number(process.env.BENCH_ITERATIONS ?? 600);
const warmup = Number(process.env.BENCH_WARMUP ?? 100);
const pageSize = 50;
const noTimers: NotificationQueue = { async schedule() {} };
const text = "Hello, the results of your blood test are in; please book a follow-up for next week.";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Side {
  readonly name: string;
  readonly uow: UnitOfWork;
  world?: World;
  conversationId?: string;
  readonly send: number[];
  readonly page: number[];
  readonly read: number[];
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-keys-bench-"));
  const server = await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  try {
    const admin = postgres(server.ownerUrl, { max: 1, onnotice: () => undefined });
    await admin.unsafe("create database bench");
    await admin.end();
    const ownerUrl = new URL(server.ownerUrl);
    ownerUrl.pathname = "/bench";
    await preparePostgres({ ownerUrl: ownerUrl.toString(), appRole: "bench_app", appPassword: "bench" });
    const appUrl = new URL(ownerUrl);
    appUrl.username = "bench_app";
    appUrl.password = "bench";
    const db = connectPostgres(appUrl.toString());
    const recordKeys = createRecordKeys(await openKeyFileProvider(join(root, "keys.json")));
    const sides: Side[] = [
      {
        name: "plain",
        uow: createPostgresUnitOfWork(db, { notificationQueue: () => noTimers }),
        send: [],
        page: [],
        read: [],
      },
      {
        name: "sealed",
        uow: createPostgresUnitOfWork(db, { notificationQueue: () => noTimers, recordKeys }),
        send: [],
        page: [],
        read: [],
      },
    ];
    for (const side of sides) {
      const world = await seedWorld(() => side.uow);
      const conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
      side.world = world;
      side.conversationId = conversation.id;
    }
    const chats = new Map(
      sides.map((side) => [
        side,
        createClinicChat({ uow: side.uow, clock: { now: () => new Date() } } as NotificationDeps),
      ]),
    );
    const chatOf = (side: Side) => chats.get(side)!;
    for (let i = 0; i < warmup + iterations; i += 1) {
      // Each side goes first every other turn, so neither always runs right after the other.
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
        const world = side.world!;
        const conversationId = side.conversationId!;
        const t0 = performance.now();
        await world.run((s) => postText(s, conversationId, ref(world.patient), text, at(i)));
        const t1 = performance.now();
        await side.uow.run(world.clinic.id, (s) => s.messages.history(conversationId, { limit: pageSize }));
        const t2 = performance.now();
        await chatOf(side).readHistory(
          { clinicId: world.clinic.id, person: ref(world.practitioner) },
          { conversationId, limit: pageSize },
        );
        const t3 = performance.now();
        if (i >= warmup) {
          side.send.push(t1 - t0);
          side.page.push(t2 - t1);
          side.read.push(t3 - t2);
        }
      }
    }
    const figures = sides.map((side) => {
      const send = [...side.send].sort((a, b) => a - b);
      const page = [...side.page].sort((a, b) => a - b);
      const read = [...side.read].sort((a, b) => a - b);
      return {
        name: side.name,
        send50: percentile(send, 50),
        send99: percentile(send, 99),
        sendPerSecond: 1000 / (side.send.reduce((a, b) => a + b, 0) / side.send.length),
        page50: percentile(page, 50),
        page99: percentile(page, 99),
        read50: percentile(read, 50),
        read99: percentile(read, 99),
      };
    });
    const [plain, sealed] = figures as [(typeof figures)[0], (typeof figures)[0]];
    console.log(`REC-1 record keys: ${iterations} sends and history pages of ${pageSize} per side, same run`);
    for (const f of figures) {
      console.log(
        `  ${f.name.padEnd(6)} send p50 ${f.send50.toFixed(2)} ms, p99 ${f.send99.toFixed(2)} ms, ${f.sendPerSecond.toFixed(0)}/s one at a time; history page p50 ${f.page50.toFixed(2)} ms, p99 ${f.page99.toFixed(2)} ms; the product's history read p50 ${f.read50.toFixed(2)} ms, p99 ${f.read99.toFixed(2)} ms`,
      );
    }
    console.log(
      `  sealed / plain: send throughput ${(sealed.sendPerSecond / plain.sendPerSecond).toFixed(2)}x (target >= 0.85x), send p99 ${(sealed.send99 / plain.send99).toFixed(2)}x, store's history page p50 ${(sealed.page50 / plain.page50).toFixed(2)}x, p99 ${(sealed.page99 / plain.page99).toFixed(2)}x; the product's history read p50 ${(sealed.read50 / plain.read50).toFixed(2)}x, p99 ${(sealed.read99 / plain.read99).toFixed(2)}x (target <= 1.3x)`,
    );
    await db.destroy();
  } finally {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
