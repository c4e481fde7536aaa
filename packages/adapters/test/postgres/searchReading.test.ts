import { type IndexHit, searchTermsOf } from "@clinic-chat/domain";
import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import { at, postText, ref, seedWorld, teamConversation, type World } from "../contract/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/postgres";

// SRCH-1: however a tier is read (the walk through the searcher's newest messages, or the word
// index once the walk is used up), search answers the same hits in the same order, page by page.

const vocabulary = ["lab", "labs", "result", "blood", "note", "scan", "refill"];

interface Indexed {
  readonly id: string;
  readonly conversationId: string;
  readonly sentAt: Date;
  readonly terms: readonly string[];
}

describe("SRCH-1 search reads each tier either way with the same answer", () => {
  let database: TestDatabase;
  let world: World;
  const recordKeys = createRecordKeys(inMemoryKeyProvider());
  const uowWith = (window: number) =>
    createPostgresUnitOfWork(database.app, {
      notificationQueue: () => ({ async schedule() {} }),
      recordKeys,
      searchReading: { window },
    });
  let readable: string[];
  let hidden: string;
  const indexed: Indexed[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    world = await seedWorld(() => uowWith(1000));
    const members = [
      [world.practitioner, world.admin],
      [world.practitioner, world.colleague],
      [world.colleague, world.admin],
    ];
    const [first, second, other] = members.map((people) => teamConversation(world, people));
    const mine = [first!, second!];
    readable = mine.map((c) => c.id);
    hidden = other!.id;
    await world.run(async (s) => {
      for (const [i, c] of [first!, second!, other!].entries())
        await s.conversations.create(c, members[i]!.map(ref));
    });
    // Texts of one to three words over the three conversations, two a minute, so that some share a
    // minute and the message id orders them.
    fc.configureGlobal({ seed: 20261207 });
    const texts = fc.sample(fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 3 }), 60);
    const conversations = [first!, second!, other!];
    await world.run(async (s) => {
      for (const [i, words] of texts.entries()) {
        const text = words.join(" ");
        const message = await postText(
          s,
          conversations[i % 3]!.id,
          ref(members[i % 3]![0]!),
          text,
          at(Math.floor(i / 2)),
        );
        indexed.push({
          id: message.id,
          conversationId: message.conversationId,
          sentAt: message.sentAt,
          terms: searchTermsOf(text),
        });
      }
    });
    await world.run((s) =>
      s.search.add(
        indexed.map((m) => ({
          messageId: m.id,
          conversationId: m.conversationId,
          sentAt: m.sentAt,
          terms: m.terms,
        })),
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });

  /** What search must answer: the searcher's messages holding any of the words, most held first, then newest. */
  const expected = (words: readonly string[]) =>
    indexed
      .filter((m) => m.conversationId !== hidden)
      .map((m) => ({ m, held: words.filter((w) => m.terms.includes(w)).length }))
      .filter((x) => x.held > 0)
      .sort(
        (a, b) =>
          b.held - a.held ||
          b.m.sentAt.getTime() - a.m.sentAt.getTime() ||
          (a.m.id < b.m.id ? 1 : a.m.id > b.m.id ? -1 : 0),
      )
      .map((x) => [x.m.id, x.held]);

  const allPages = async (window: number, words: readonly string[], limit: number) => {
    const uow = uowWith(window);
    const seen: (string | number)[][] = [];
    let after: IndexHit | null = null;
    for (;;) {
      const page: IndexHit[] = await uow.run(world.clinic.id, (s) =>
        s.search.find(words, { person: ref(world.practitioner), conversationId: null }, { after, limit }),
      );
      seen.push(...page.map((h) => [h.messageId, h.matched]));
      if (page.length < limit) return seen;
      after = page.at(-1)!;
    }
  };

  it("SRCH-1: the walk, the word index and both together page through the same hits", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...vocabulary, "la", "res"), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1, 3, 1000),
        fc.integer({ min: 1, max: 7 }),
        async (words, window, limit) => {
          const terms = words.filter((w) => w.length >= 3);
          if (terms.length === 0) return;
          expect(await allPages(window, terms, limit)).toEqual(expected(terms));
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it("SRCH-1: one conversation's scope reads the same either way", async () => {
    for (const window of [1, 1000]) {
      const page = await uowWith(window).run(world.clinic.id, (s) =>
        s.search.find(
          ["lab"],
          { person: ref(world.practitioner), conversationId: readable[1]! },
          { after: null, limit: 100 },
        ),
      );
      expect(page.map((h) => h.messageId)).toEqual(
        expected(["lab"])
          .map(([id]) => id)
          .filter((id) => indexed.find((m) => m.id === id)!.conversationId === readable[1]),
      );
    }
  });
});
