import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  createClinicChat,
  type NotificationDeps,
  type NotificationQueue,
  type PersonRef,
  searchTermsOf,
  type UnitOfWork,
} from "@clinic-chat/domain";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../src/embedded/embeddedPostgres";
import { openKeyFileProvider } from "../src/keys/keyFileProvider";
import { createRecordKeys, type RecordKeys } from "../src/keys/recordKeys";
import { connectPostgres } from "../src/postgres/connectPostgres";
import { createPostgresUnitOfWork, withClinic } from "../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../src/postgres/preparePostgres";
import { searchIndexColumns, searchIndexInsertSql } from "../src/postgres/searchIndexStore";
import { ref, seedWorld, teamConversation } from "../test/contract/fixtures";

// SRCH-1: message search at 1,000,000 messages of one clinic, through the product (the store's
// ranked query, and the whole use case: access decisions, opening the hits, audit) beside
// PostgreSQL full-text search (to_tsvector / plainto_tsquery, GIN) over the same plain text, same
// server, same run, the sides taking turns. The index rows are made by the product's own function
// and statement; the texts are 50,000 distinct ones, each message taking one, so their digests are
// computed once per text. Not a test: nothing here asserts on time.

const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const perConversation = Number(process.env.BENCH_MESSAGES_PER_CONVERSATION ?? 100);
const distinctTexts = 50_000;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
const warmup = Number(process.env.BENCH_WARMUP ?? 30);
const noTimers: NotificationQueue = { async schedule() {} };
/** Set BENCH_DIR to keep the seeded server between runs (seeding is skipped when it is there). */
const keptDirectory = process.env.BENCH_DIR;
/** Set BENCH_ONLY to measure only the queries whose labels begin with these, e.g. "two words". */
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim().toLowerCase()) ?? null;

const clinical =
  "appointment results blood test follow up referral prescription refill pharmacy dose tablet morning evening pain fever cough rash allergy insurance invoice scan xray mri ultrasound vaccine booster clinic doctor nurse reception tomorrow monday friday week thanks please question urgent fasting glucose pressure cholesterol thyroid iron vitamin sleep diet exercise physio knee back shoulder headache dizziness nausea antibiotic cream inhaler";
/** A vocabulary of clinic words and made-up ones, used with a skewed frequency, as in real text. */
function vocabulary(): string[] {
  const syllables =
    "ka lo mi ne ru sa te vo bi da fe gu hi jo ki li ma no pe qui ra si tu vi wa xe yo za".split(" ");
  const words = clinical.split(" ");
  let seed = 7;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  while (words.length < 5000) {
    const n = 2 + (next() % 3);
    words.push(Array.from({ length: n }, () => syllables[next() % syllables.length]).join(""));
  }
  return words;
}

function texts(): string[] {
  const words = vocabulary();
  let seed = 11;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  return Array.from({ length: distinctTexts }, () => {
    const length = 6 + Math.floor(random() * 14);
    return Array.from({ length }, () => words[Math.floor(words.length * random() ** 3)]).join(" ");
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** One clinic's conversations, messages, index rows and the full-text baseline's table. */
async function seed(
  db: ReturnType<typeof connectPostgres>,
  owner: postgres.Sql,
  uow: UnitOfWork,
  recordKeys: RecordKeys,
  worldFile: string,
): Promise<{ clinicId: string; searcher: PersonRef }> {
  const world = await seedWorld(() => uow);
  const clinicId = world.clinic.id;
  const seeding = performance.now();
  // Conversations: the searcher takes part in every fifth, the colleague in the others.
  const conversationIds: string[] = [];
  for (let start = 0; start < conversations; start += 500) {
    await world.run(async (s) => {
      for (let k = start; k < Math.min(conversations, start + 500); k++) {
        const member = k % 5 === 0 ? world.practitioner : world.colleague;
        const conversation = teamConversation(world, [member, world.admin]);
        await s.conversations.create(conversation, [ref(member), ref(world.admin)]);
        conversationIds.push(conversation.id);
      }
    });
  }
  const corpus = texts();
  const searchKey = await withClinic(
    db,
    clinicId,
    async (trx) => (await recordKeys.forClinic(clinicId, trx)).searchKey,
  );
  const digests = corpus.map(
    (text) =>
      searchIndexColumns(searchKey, [
        { messageId: "", conversationId: "", sentAt: new Date(0), terms: searchTermsOf(text) },
      ])[3] as string[],
  );
  // The owner's statements below read and write one clinic's rows, under RLS where it applies to it.
  await owner.unsafe("select set_config('app.clinic_id', $1, false)", [clinicId]);
  await owner.unsafe("create table bench_texts (n int primary key, text text not null)");
  for (let i = 0; i < corpus.length; i += 5000) {
    const part = corpus.slice(i, i + 5000);
    await owner.unsafe("insert into bench_texts select * from unnest($1::int[], $2::text[])", [
      part.map((_, j) => i + j),
      part,
    ]);
  }
  // Messages as plain rows (the store opens plain and sealed rows alike), set-based, as the owner.
  await owner.unsafe(
    `insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at, body_kind, text)
     select $1, c.id || '-m' || s, c.id, s, 'client-' || s, 'staff', $2,
            timestamptz '2026-01-01' + ((c.n * ${perConversation} + s) * interval '17 seconds'), 'text', t.text
       from unnest($3::text[]) with ordinality as c(id, n)
       cross join generate_series(1, ${perConversation}) s
       join bench_texts t on t.n = ((c.n * ${perConversation} + s) * 7919) % ${distinctTexts}`,
    [clinicId, world.admin.id, conversationIds],
  );
  await owner.unsafe("update conversations set last_seq = $2 where clinic_id = $1", [
    clinicId,
    perConversation,
  ]);
  // The index rows: the product's statement, fed the product's digests of each message's text.
  await owner.unsafe("drop index message_search_terms");
  const rows = await owner.unsafe<{ id: string; conversation_id: string; sent_at: Date; n: number }[]>(
    `select m.id, m.conversation_id, m.sent_at, t.n from messages m join bench_texts t on t.text = m.text
      where m.clinic_id = $1 order by m.id`,
    [clinicId],
  );
  for (let i = 0; i < rows.length; i += 10_000) {
    const part = rows.slice(i, i + 10_000);
    await owner.begin(async (tx) => {
      await tx.unsafe(`select set_config('app.clinic_id', $1, true)`, [clinicId]);
      await tx.unsafe(searchIndexInsertSql, [
        clinicId,
        part.map((r) => r.id),
        part.map((r) => r.conversation_id),
        part.map((r) => r.sent_at.toISOString()),
        part.map((r) => digests[r.n]!.join(" ")),
      ]);
    });
  }
  await owner.unsafe(
    "create index message_search_terms on message_search using gin (terms) with (fastupdate = off)",
  );
  // The baseline: PostgreSQL full-text search over the same plain text.
  await owner.unsafe(`create table fts_baseline as
    select clinic_id, id as message_id, conversation_id, sent_at, to_tsvector('english', text) as tsv from messages
     where clinic_id = '${clinicId}' and body_kind = 'text'`);
  await owner.unsafe("create index fts_baseline_tsv on fts_baseline using gin (tsv)");
  await owner.unsafe("create index fts_baseline_message on fts_baseline (clinic_id, message_id)");
  await owner.unsafe("vacuum analyze");
  console.log(`seeded in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
  await writeFile(worldFile, JSON.stringify({ clinicId, searcher: ref(world.practitioner) }));
  return { clinicId, searcher: ref(world.practitioner) };
}

async function main(): Promise<void> {
  const root = keptDirectory ?? (await mkdtemp(join(tmpdir(), "clinic-chat-search-bench-")));
  const server = await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  try {
    const admin = postgres(server.ownerUrl, { max: 1, onnotice: () => undefined });
    const fresh = (await admin`select 1 from pg_database where datname = 'bench'`).length === 0;
    if (fresh) await admin.unsafe("create database bench");
    await admin.end();
    const ownerUrl = new URL(server.ownerUrl);
    ownerUrl.pathname = "/bench";
    await preparePostgres({ ownerUrl: ownerUrl.toString(), appRole: "bench_app", appPassword: "bench" });
    const appUrl = new URL(ownerUrl);
    appUrl.username = "bench_app";
    appUrl.password = "bench";
    const db = connectPostgres(appUrl.toString());
    const owner = postgres(ownerUrl.toString(), { max: 1, onnotice: () => undefined });
    const recordKeys = createRecordKeys(await openKeyFileProvider(join(root, "keys.json")));
    const uow = createPostgresUnitOfWork(db, { notificationQueue: () => noTimers, recordKeys });
    // The seeded world's clinic and searcher, kept beside the server for the next run.
    const worldFile = join(root, "world.json");
    const { clinicId, searcher } =
      fresh || !existsSync(worldFile)
        ? await seed(db, owner, uow, recordKeys, worldFile)
        : (JSON.parse(await readFile(worldFile, "utf8")) as { clinicId: string; searcher: PersonRef });
    // Setting up the app role again (every run) takes its rights on tables the product does not know.
    await owner.unsafe("grant select on fts_baseline to bench_app");
    const counted = await owner.unsafe<{ n: number }[]>("select count(*)::int as n from message_search");
    console.log(
      `SRCH-1 search bench: ${counted[0]!.n} indexed messages in ${conversations} conversations, the searcher in ${conversations / 5}`,
    );

    const deps: NotificationDeps = {
      uow,
      blobs: {
        presignUpload: async () => {
          throw new Error("none");
        },
        presignDownload: async () => {
          throw new Error("none");
        },
        inspect: async () => null,
        read: async () => null,
        write: async () => undefined,
        remove: async () => undefined,
      },
      clock: { now: () => new Date() },
      ids: { newId: () => crypto.randomUUID() },
      links: { staffApp: "https://clinic.test/staff", patientPortal: "https://clinic.test/portal" },
      email: { send: async () => undefined },
      sms: { send: async () => undefined },
    };
    const chat = createClinicChat(deps);
    const actor = { clinicId, person: searcher };
    const corpus = texts();
    const ftsSql = `select message_id, sent_at from fts_baseline
       where clinic_id = $1 and tsv @@ plainto_tsquery('english', $2)
         and conversation_id in (select p.conversation_id from conversation_participants p
                                  where p.clinic_id = $1 and p.person_kind = 'staff' and p.person_id = $3)
       order by sent_at desc limit 21`;
    const queries = [
      { label: "frequent word (appointment / appoin)", product: "appoin", fts: "appointment" },
      { label: "two words (blood results)", product: "blood results", fts: "blood results" },
      {
        label: "rarer made-up word",
        product: corpus[1]!.split(" ").at(-1)!,
        fts: corpus[1]!.split(" ").at(-1)!,
      },
    ];
    for (const q of queries.filter(
      (query) => only === null || only.some((name) => query.label.startsWith(name)),
    )) {
      const times = { find: [] as number[], useCase: [] as number[], fts: [] as number[] };
      const hits = { find: 0, fts: 0 };
      for (let i = 0; i < warmup + iterations; i++) {
        const order =
          i % 2 === 0 ? (["find", "useCase", "fts"] as const) : (["fts", "useCase", "find"] as const);
        for (const side of order) {
          const t0 = performance.now();
          if (side === "find") {
            const found = await uow.run(clinicId, (s) =>
              s.search.find(
                q.product.split(" "),
                { person: actor.person, conversationId: null },
                { after: null, limit: 21 },
              ),
            );
            hits.find = found.length;
          } else if (side === "useCase") {
            await chat.searchMessages(actor, { query: q.product, limit: 20 });
          } else {
            const found = await withClinic(db, clinicId, async (_trx, statements) =>
              statements.read(ftsSql, [clinicId, q.fts, searcher.id]),
            );
            hits.fts = found.length;
          }
          if (i >= warmup) times[side].push(performance.now() - t0);
        }
      }
      const f = (xs: number[]) => {
        const s = [...xs].sort((a, b) => a - b);
        return `p50 ${percentile(s, 50).toFixed(2)} ms, p99 ${percentile(s, 99).toFixed(2)} ms`;
      };
      console.log(`  ${q.label}: ${iterations} runs per side (pages of ${hits.find} / ${hits.fts} hits)`);
      console.log(`    product index query:        ${f(times.find)} (target p99 < 20 ms)`);
      console.log(`    product use case (opens 20): ${f(times.useCase)}`);
      console.log(`    PostgreSQL full-text search: ${f(times.fts)}`);
    }
    console.log(
      `  load average while measuring: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    await db.destroy();
    await owner.end();
  } finally {
    await server.stop();
    if (!keptDirectory) await rm(root, { recursive: true, force: true });
  }
}

await main();
