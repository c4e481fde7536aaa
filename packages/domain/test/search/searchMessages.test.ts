import { beforeEach, describe, expect, it } from "vitest";
import { searchMessages } from "../../src/search/searchMessages";
import type { UnitOfWork } from "../../src/shared/UnitOfWork";
import {
  auditTrail,
  createWorld,
  dumpJson,
  patientConversation,
  refused,
  say,
  type World,
} from "../usecases/support/world";

let world: World;
let conversationId: string;
beforeEach(async () => {
  world = await createWorld();
  conversationId = await patientConversation(world, world.a.practitioner, world.a.patient);
});

const texts = async (query: string, who = world.a.practitioner, extra: { conversationId?: string } = {}) =>
  (await world.chat.searchMessages(who, { query, limit: 20, ...extra })).hits.map((h) => h.snippet);

describe("SRCH-1 message search", () => {
  it("SRCH-1: a word's beginning finds the message, case and accents aside, highlighted in context", async () => {
    await say(world, world.a.patient, conversationId, "Can I move my Appointment with Dr Müller?");
    const page = await world.chat.searchMessages(world.a.practitioner, { query: "appoin MULLER", limit: 20 });
    expect(page.hits).toHaveLength(1);
    const [hit] = page.hits;
    expect(hit!.snippet).toBe("Can I move my Appointment with Dr Müller?");
    expect(hit!.highlights.map((h) => hit!.snippet.slice(h.start, h.end))).toEqual(["Appointment", "Müller"]);
    expect(hit!.conversation.id).toBe(conversationId);
    expect(hit!.sender).toEqual(world.a.patient.person);
    expect(page.people.map((p) => p.id)).toContain(world.a.patient.person.id);
  });

  it("SRCH-1: ranked by how many of the query's words a message holds, then newest", async () => {
    await say(world, world.a.practitioner, conversationId, "lab one");
    world.clock.advanceSeconds(60);
    await say(world, world.a.practitioner, conversationId, "lab results two");
    world.clock.advanceSeconds(60);
    await say(world, world.a.practitioner, conversationId, "lab three");
    expect(await texts("lab results")).toEqual(["lab results two", "lab three", "lab one"]);
    // The page says how many words were searched, so a reader can tell all of them from some.
    const page = await world.chat.searchMessages(world.a.practitioner, {
      query: "Lab RESULTS lab x",
      limit: 5,
    });
    expect(page.words).toBe(2);
    expect(page.hits.map((h) => h.matched)).toEqual([2, 1, 1]);
  });

  it("SRCH-1: pages continue with the cursor, without repeats or gaps", async () => {
    for (let i = 0; i < 5; i++) {
      await say(world, world.a.practitioner, conversationId, `lab note ${i}`);
      world.clock.advanceSeconds(1);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await world.chat.searchMessages(world.a.practitioner, { query: "lab", limit: 2, cursor });
      seen.push(...page.hits.map((h) => h.snippet));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["lab note 4", "lab note 3", "lab note 2", "lab note 1", "lab note 0"]);
  });

  it("SRCH-1, ELIG-4, ELIG-5: only conversations the searcher takes part in, never another clinic's", async () => {
    const { a, b } = world;
    await say(world, a.patient, conversationId, "zebra in clinic a");
    const other = await patientConversation(world, b.practitioner, b.patient);
    await say(world, b.patient, other, "zebra in clinic b");
    expect(await texts("zebra", a.practitioner)).toEqual(["zebra in clinic a"]);
    expect(await texts("zebra", a.frontDesk)).toEqual([]);
    expect(await texts("zebra", b.practitioner)).toEqual(["zebra in clinic b"]);
    await refused(
      world.chat.searchMessages(a.frontDesk, { query: "zebra", limit: 5, conversationId }),
      "NOT_FOUND",
    );
    await refused(
      world.chat.searchMessages(b.practitioner, { query: "zebra", limit: 5, conversationId }),
      "NOT_FOUND",
    );
    expect(await texts("zebra", a.practitioner, { conversationId })).toEqual(["zebra in clinic a"]);
  });

  it("SRCH-1: patients may not search, and deactivated staff neither", async () => {
    await say(world, world.a.patient, conversationId, "zebra");
    await refused(world.chat.searchMessages(world.a.patient, { query: "zebra", limit: 5 }), "FORBIDDEN");
    await refused(
      world.chat.searchMessages(world.a.deactivated, { query: "zebra", limit: 5 }),
      "STAFF_INACTIVE",
    );
  });

  it("SRCH-1, DEL-2: a deleted message is never found again, and its terms are gone from the index", async () => {
    const messageId = await say(world, world.a.practitioner, conversationId, "quokka sighting");
    expect(await texts("quokka")).toEqual(["quokka sighting"]);
    await world.chat.deleteMessage(world.a.practitioner, { messageId });
    expect(await texts("quokka")).toEqual([]);
    expect(dumpJson(world)).not.toContain("quokka");
  });

  it("SRCH-1: an empty query, a too long one or punctuation alone is refused naming the field, changing nothing", async () => {
    await say(world, world.a.practitioner, conversationId, "lab");
    const before = (await auditTrail(world, world.a.clinicId)).length;
    for (const query of ["", "   ", "?!…", "x".repeat(101)]) {
      const error = await refused(
        world.chat.searchMessages(world.a.practitioner, { query, limit: 5 }),
        "INVALID_INPUT",
      );
      expect(error.details.field).toBe("query");
    }
    const after = await auditTrail(world, world.a.clinicId);
    expect(after.slice(before).map((e) => [e.action, e.outcome])).toEqual(
      Array.from({ length: 4 }, () => ["message.search", "denied"]),
    );
  });

  it("SRCH-1, SEC-3: the search is audited by ids and counts, never its words", async () => {
    await say(world, world.a.patient, conversationId, "marker-zanzibar here");
    await world.chat.searchMessages(world.a.practitioner, { query: "zanzibar", limit: 5 });
    const trail = (await auditTrail(world, world.a.clinicId)).filter((e) => e.action === "message.search");
    expect(trail.map((e) => [e.conversationId ?? null, e.reason ?? null, e.outcome])).toEqual(
      expect.arrayContaining([
        [null, null, "success"],
        [conversationId, "hits=1", "success"],
      ]),
    );
    expect(JSON.stringify(trail)).not.toContain("zanzibar");
  });

  it("SRCH-1, ELIG-4: a page's hits are opened together, and only those of conversations the searcher may read", async () => {
    const { a } = world;
    const other = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    const one = await say(world, a.patient, conversationId, "walrus one");
    world.clock.advanceSeconds(1);
    const hidden = await say(world, a.patientEmailOnly, other, "walrus two");
    world.clock.advanceSeconds(1);
    const three = await say(world, a.practitioner, conversationId, "walrus three");
    const opened: string[][] = [];
    // The searcher leaves `other` between the index's answer and the access decision.
    const uow: UnitOfWork = {
      run: (clinicId, work) =>
        world.uow.run(clinicId, (stores) =>
          work({
            ...stores,
            conversations: {
              ...stores.conversations,
              async standingsIn(ids, person) {
                const standings = await stores.conversations.standingsIn(ids, person);
                return standings.map((s) =>
                  s.conversation.id === other ? { ...s, participating: false } : s,
                );
              },
            },
            messages: {
              ...stores.messages,
              async get() {
                throw new Error("a hit opened on its own");
              },
              async getMany(ids) {
                opened.push([...ids]);
                return stores.messages.getMany(ids);
              },
            },
          }),
        ),
    };
    const before = (await auditTrail(world, a.clinicId)).length;
    const page = await searchMessages({ ...world.deps, uow }, a.practitioner, { query: "walrus", limit: 10 });
    expect(page.hits.map((h) => h.snippet)).toEqual(["walrus three", "walrus one"]);
    expect(opened).toEqual([[three, one]]);
    expect(opened.flat()).not.toContain(hidden);
    const trail = (await auditTrail(world, a.clinicId)).slice(before);
    expect(trail.map((e) => [e.action, e.conversationId ?? null, e.reason ?? null, e.outcome])).toEqual(
      expect.arrayContaining([
        ["message.search", null, null, "success"],
        ["message.search", conversationId, "hits=2", "success"],
      ]),
    );
    expect(trail).toHaveLength(2);
  });
});
