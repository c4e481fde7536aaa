import { afterEach, describe, expect, it, vi } from "vitest";
import type { StoredAuditEvent } from "../../src/audit/AuditEvent";
import type { Message } from "../../src/chat/Message";
import { type SendOutcome, type SendRequest, sendMessages } from "../../src/chat/sendMessage";
import type { NotificationState } from "../../src/notifications/model";
import { type Actor, type PersonRef, personKey } from "../../src/people/people";
import { isDomainError } from "../../src/shared/DomainError";
import type { ChatDeps } from "../../src/shared/deps";
import type { Stores, UnitOfWork } from "../../src/shared/UnitOfWork";
import {
  auditTrail,
  createWorld,
  dumpJson,
  dumpWithoutAudit,
  patientConversation,
  runTimers,
  scheduledTimers,
  sharedMessage,
  updatePatient,
  uploadFile,
  type World,
} from "./support/world";

// sendMessages is several sends of one clinic (one per conversation) in one unit of work: each
// send must answer, write and be audited exactly as its own sendMessage call would (MSG-1, SEC-3).
// Comparisons are against a twin world built the same way (same ids, same clock) where the same
// sends are made one by one with sendMessage. The batch draws its ids in another order (all the
// messages first, then the notification bursts), so message and burst ids are compared by what
// they name: a message by its conversation and number, a burst by its recipient.

/** The conversations of a scenario, all of clinic A but `foreign` (clinic B's). */
interface Conversations {
  /** A's practitioner and A's active patient (email, mobile, SMS consent). */
  readonly harriet: string;
  /** A's practitioner and the email-only patient. */
  readonly elena: string;
  /** A's front desk and the patient without SMS consent. */
  readonly milo: string;
  /** Team Chat: admin, practitioner, front desk. */
  readonly team: string;
  /** Team Chat: practitioner and front desk. */
  readonly pair: string;
  /** Clinic B's practitioner and patient. */
  readonly foreign: string;
}

/**
 * A world with conversations and a little history, every client id chosen here (the shared
 * helper's counter differs between twins). The practitioner has a pending burst already (from the
 * email-only patient's message); the clock then moves on 30 seconds.
 */
async function scenario(): Promise<{ world: World; c: Conversations }> {
  const world = await createWorld();
  const { a, b, chat } = world;
  const harriet = await patientConversation(world, a.practitioner, a.patient);
  const elena = await patientConversation(world, a.practitioner, a.patientEmailOnly);
  const milo = await patientConversation(world, a.frontDesk, a.patientNoSmsConsent);
  const team = (
    await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id, a.frontDesk.person.id] })
  ).conversation.id;
  const pair = (await chat.startTeamChat(a.practitioner, { staffIds: [a.frontDesk.person.id] })).conversation
    .id;
  const foreign = await patientConversation(world, b.practitioner, b.patient);
  await chat.sendMessage(a.patientEmailOnly, {
    conversationId: elena,
    clientId: "elena-1",
    text: "a question",
  });
  await chat.sendMessage(a.practitioner, { conversationId: harriet, clientId: "harriet-1", text: "results" });
  world.clock.advanceSeconds(30);
  return { world, c: { harriet, elena, milo, team, pair, foreign } };
}

/** A send of `actor` into a conversation. */
function send(actor: Actor, conversationId: string, clientId: string, text: string): SendRequest {
  return { actor, input: { conversationId, clientId, text } };
}

interface Dumped {
  messages: Map<string, Message>;
  notificationStates: Map<string, NotificationState>;
  burstMessages: Map<string, Map<string, { burstId: string }>>;
  timers: { timer: { recipient: PersonRef; burstId: string }; runAt: Date }[];
}

/**
 * Renames a world's generated message and burst ids to what they name (see the top of the file),
 * and turns Maps into entry lists sorted by key (their insertion order means nothing).
 */
function renamer(world: World): (value: unknown) => unknown {
  const dump = world.uow.dump() as Dumped;
  const names = new Map<string, string>();
  const name = (id: string, as: string) => {
    if (!names.has(id)) names.set(id, as);
  };
  for (const m of dump.messages.values()) name(m.id, `message ${m.conversationId}#${m.seq}`);
  for (const [key, state] of dump.notificationStates) {
    if (state.status === "pending") name(state.burstId, `burst of ${key}`);
  }
  for (const [key, burst] of dump.burstMessages) {
    for (const pending of burst.values()) name(pending.burstId, `burst of ${key}`);
  }
  for (const { timer } of dump.timers)
    name(timer.burstId, `burst of timer for ${personKey(timer.recipient)}`);
  const replacer = (_key: string, value: unknown): unknown => {
    if (value instanceof Map) {
      return [...value.entries()]
        .map(([k, v]) => [names.get(k) ?? k, v])
        .sort((x, y) => (x[0] < y[0] ? -1 : 1));
    }
    if (typeof value === "string") return names.get(value) ?? value;
    return value;
  };
  return (value) => JSON.parse(JSON.stringify(value, replacer) ?? "null");
}

/** Every committed row but the audit trail (set-up records carry each twin's own actor addresses), renamed. */
function storage(world: World): unknown {
  const { audit: _audit, nextAuditId: _next, ...rest } = world.uow.dump() as Record<string, unknown>;
  return renamer(world)(rest);
}

/**
 * The audit records from index `from` on, renamed: in order with their storage ids, or (`any`
 * order, for sends that ran concurrently) without them, sorted.
 */
async function auditFrom(
  world: World,
  clinicId: string,
  from: number,
  order: "same" | "any" = "same",
): Promise<unknown> {
  const records = renamer(world)((await auditTrail(world, clinicId)).slice(from)) as Record<
    string,
    unknown
  >[];
  if (order === "same") return records;
  return records
    .map(({ id: _id, ...record }) => JSON.stringify(record))
    .sort()
    .map((json) => JSON.parse(json));
}

/** What an outcome says, comparable across worlds. */
function comparable(world: World, outcome: SendOutcome): unknown {
  if (outcome.ok) return { ok: true, message: renamer(world)(outcome.message) };
  const error = outcome.error;
  return isDomainError(error)
    ? { ok: false, code: error.code, message: error.message, details: error.details }
    : { ok: false, error };
}

/** The same sends, one by one with sendMessage. */
async function oneByOne(world: World, requests: readonly SendRequest[]): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  for (const { actor, input } of requests) {
    try {
      outcomes.push({ ok: true, message: await world.chat.sendMessage(actor, input) });
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

/** Outcomes as `ok` or their DomainError code. */
function codes(outcomes: readonly SendOutcome[]): string[] {
  return outcomes.map((o) => (o.ok ? "ok" : isDomainError(o.error) ? o.error.code : "error"));
}

/**
 * Runs `requests` as a batch in one scenario and one by one in its twin (with the batch's actors:
 * audit records carry their addresses), checks the two agree on the answers, the storage and the
 * audit records, and returns the batch's outcomes and world.
 */
async function batchAgreesWithTwin(
  build: (world: World, c: Conversations) => Promise<void>,
  requestsFor: (world: World, c: Conversations) => SendRequest[],
  batch: (world: World, requests: SendRequest[]) => Promise<SendOutcome[]> = (world, requests) =>
    world.chat.sendMessages(requests),
  auditOrder: "same" | "any" = "same",
): Promise<{ world: World; c: Conversations; outcomes: SendOutcome[]; auditBefore: number }> {
  const batched = await scenario();
  const twin = await scenario();
  await build(batched.world, batched.c);
  await build(twin.world, twin.c);
  const clinicId = batched.world.a.clinicId;
  const auditBefore = (await auditTrail(batched.world, clinicId)).length;
  expect((await auditTrail(twin.world, clinicId)).length).toBe(auditBefore);
  expect(storage(twin.world)).toEqual(storage(batched.world));

  const requests = requestsFor(batched.world, batched.c);
  const outcomes = await batch(batched.world, requests);
  const expected = await oneByOne(twin.world, requests);

  expect(outcomes.map((o) => comparable(batched.world, o))).toEqual(
    expected.map((o) => comparable(twin.world, o)),
  );
  expect(storage(batched.world)).toEqual(storage(twin.world));
  expect(await auditFrom(batched.world, clinicId, auditBefore, auditOrder)).toEqual(
    await auditFrom(twin.world, clinicId, auditBefore, auditOrder),
  );
  return { world: batched.world, c: batched.c, outcomes, auditBefore };
}

/** Counts the units of work run through `world`'s unit of work. */
function countRuns(world: World): { readonly count: () => number } {
  const run = vi.spyOn(world.uow, "run");
  return { count: () => run.mock.calls.length };
}

/** The stored notification state of a person (idle when none is stored). */
function stateOf(world: World, who: Actor): NotificationState {
  const dump = world.uow.dump() as Dumped;
  return dump.notificationStates.get(`${who.clinicId}|${personKey(who.person)}`) ?? { status: "idle" };
}

/** The messages of a person's pending burst, as stored. */
function burstOf(world: World, who: Actor): { messageId: string; burstId: string }[] {
  const dump = world.uow.dump() as Dumped;
  return [...(dump.burstMessages.get(`${who.clinicId}|${personKey(who.person)}`)?.values() ?? [])] as {
    messageId: string;
    burstId: string;
  }[];
}

/** The stored messages of a clinic, by conversation then number. */
function messagesOf(world: World, clinicId: string): Message[] {
  return [...(world.uow.dump() as Dumped).messages.values()]
    .filter((m) => m.clinicId === clinicId)
    .sort((x, y) =>
      x.conversationId === y.conversationId ? x.seq - y.seq : x.conversationId < y.conversationId ? -1 : 1,
    );
}

/** Wraps a world's unit of work so that `change` may swap the stores each unit of work sees. */
function wrappedDeps(world: World, change: (stores: Stores) => Stores): ChatDeps {
  const uow: UnitOfWork = {
    run: (clinicId, work) => world.uow.run(clinicId, (stores) => work(change(stores))),
  };
  return { ...world.deps, uow };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("sendMessages: concurrent sends of a clinic as one unit of work (MSG-1, SEC-3)", () => {
  it("MSG-1 MSG-2 NOTIF-1 SEC-3: sends of patients and staff answer, store, post events, schedule notifications and audit exactly as one-by-one sendMessage calls, in one unit of work", async () => {
    let runs = 0;
    const { world, c, outcomes, auditBefore } = await batchAgreesWithTwin(
      async () => undefined,
      (w, c) => [
        send(w.a.patient, c.harriet, "h-2", "  Is it serious?  "),
        send(w.a.frontDesk, c.milo, "m-1", "Your appointment is at 10"),
        send(w.a.patientEmailOnly, c.elena, "e-2", "Any news?"),
        send(w.a.admin, c.team, "t-1", "Staff meeting at noon"),
      ],
      async (w, requests) => {
        const counter = countRuns(w);
        const answers = await w.chat.sendMessages(requests);
        runs = counter.count();
        return answers;
      },
    );
    const { a } = world;
    expect(runs).toBe(1);
    expect(codes(outcomes)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(outcomes.map((o) => o.ok && [o.message.conversationId, o.message.seq, o.message.body])).toEqual([
      [c.harriet, 2, { kind: "text", text: "Is it serious?" }],
      [c.milo, 1, { kind: "text", text: "Your appointment is at 10" }],
      [c.elena, 2, { kind: "text", text: "Any news?" }],
      [c.team, 1, { kind: "text", text: "Staff meeting at noon" }],
    ]);
    const records = (await auditTrail(world, a.clinicId)).slice(auditBefore);
    expect(records.map((r) => [r.action, r.outcome, r.actor, r.conversationId, r.messageId, r.ip])).toEqual(
      outcomes.map((o, i) => [
        "message.send",
        "success",
        [a.patient, a.frontDesk, a.patientEmailOnly, a.admin][i]!.person,
        o.ok && o.message.conversationId,
        o.ok && o.message.id,
        [a.patient, a.frontDesk, a.patientEmailOnly, a.admin][i]!.ip,
      ]),
    );
    // The patient without SMS consent now waits for the front desk's message.
    expect(stateOf(world, a.patientNoSmsConsent)).toMatchObject({ status: "pending" });
  });

  it("MSG-1 ELIG-1 ELIG-4 ELIG-5 SEC-3: a refusal refuses only its own send, with sendMessage's error and one denied record, and writes nothing else", async () => {
    const { world, c, outcomes, auditBefore } = await batchAgreesWithTwin(
      async (w) => {
        // The patient of the front desk's conversation can no longer receive (ELIG-1).
        await updatePatient(w, w.a.patientNoSmsConsent, { portalAccount: "disabled" });
      },
      (w, c) => [
        send(w.a.patient, c.harriet, "ok-patient", "Thank you"),
        send(w.a.admin, c.team, "empty", "  \n "), // MESSAGE_EMPTY
        send(w.a.frontDesk, c.elena, "not-mine", "hello"), // not a participant: NOT_FOUND (ELIG-4)
        send(w.a.practitioner, "no-such-conversation", "unknown", "hello"), // NOT_FOUND
        send(w.a.practitioner, c.foreign, "foreign", "hello"), // another clinic's: NOT_FOUND (ELIG-5)
        send(w.a.frontDesk, c.milo, "disabled", "hello"), // PATIENT_PORTAL_INACTIVE (ELIG-1)
        send(w.a.practitioner, c.pair, "ok-staff", "Coffee?"),
      ],
    );
    const { a } = world;
    expect(codes(outcomes)).toEqual([
      "ok",
      "MESSAGE_EMPTY",
      "NOT_FOUND",
      "NOT_FOUND",
      "NOT_FOUND",
      "PATIENT_PORTAL_INACTIVE",
      "ok",
    ]);
    const records = (await auditTrail(world, a.clinicId)).slice(auditBefore);
    expect(records.map((r) => [r.outcome, r.reason, r.conversationId, r.messageId ?? null])).toEqual([
      ["success", null, c.harriet, outcomes[0]!.ok && outcomes[0]!.message.id],
      ["denied", "MESSAGE_EMPTY", c.team, null],
      ["denied", "NOT_FOUND", c.elena, null],
      ["denied", "NOT_FOUND", "no-such-conversation", null],
      ["denied", "NOT_FOUND", c.foreign, null],
      ["denied", "PATIENT_PORTAL_INACTIVE", c.milo, null],
      ["success", null, c.pair, outcomes[6]!.ok && outcomes[6]!.message.id],
    ]);
    // Only the two sends that went through left messages; clinic B saw nothing.
    const posted = messagesOf(world, a.clinicId).filter((m) => m.sentAt > new Date("2030-01-07T09:00:10Z"));
    expect(posted.map((m) => m.clientId).sort()).toEqual(["ok-patient", "ok-staff"]);
    expect(messagesOf(world, world.b.clinicId)).toEqual([]);
  });

  for (const [label, disable, code] of [
    [
      "Team Chat switched off",
      (w: World) => w.chat.changeClinicSettings(w.a.admin, { teamChatEnabled: false }),
      "SETTING_OFF",
    ],
    [
      "a plan without Team Chat",
      (w: World) => w.chat.changeClinicPlan(w.a.admin, { plan: "enhanced" }),
      "PLAN_REQUIRED",
    ],
  ] as const) {
    it(`ENT-1 ENT-3 SEC-3: ${label}: the Team Chat sends are refused with ${code} while the patient sends of the batch go through`, async () => {
      const { world, c, outcomes, auditBefore } = await batchAgreesWithTwin(
        async (w) => {
          await disable(w);
        },
        (w, c) => [
          send(w.a.admin, c.team, "team", "still on?"),
          send(w.a.practitioner, c.harriet, "to-harriet", "See you tomorrow"),
          send(w.a.frontDesk, c.pair, "pair", "and here?"),
          send(w.a.patientNoSmsConsent, c.milo, "from-milo", "Thanks"),
        ],
      );
      expect(codes(outcomes)).toEqual([code, "ok", code, "ok"]);
      const records = (await auditTrail(world, world.a.clinicId)).slice(auditBefore);
      expect(records.map((r) => [r.outcome, r.reason, r.conversationId])).toEqual([
        ["denied", code, c.team],
        ["success", null, c.harriet],
        ["denied", code, c.pair],
        ["success", null, c.milo],
      ]);
      expect(messagesOf(world, world.a.clinicId).filter((m) => m.conversationId === c.team)).toEqual([]);
    });
  }

  it("MSG-1 SEC-3: a retry in a batch returns the message sent before (even with other or empty text) and writes no message; a client id used by a file message is a CONFLICT", async () => {
    const { world, c } = await scenario();
    const { a } = world;
    const { fileId } = await uploadFile(world, a.frontDesk, c.milo, { fileName: "letter.pdf" });
    const file = sharedMessage(await world.chat.confirmFileUpload(a.frontDesk, { fileId }));
    const earlier = await world.chat.readHistory(a.practitioner, { conversationId: c.harriet, limit: 10 });
    const earlierElena = await world.chat.readHistory(a.patientEmailOnly, {
      conversationId: c.elena,
      limit: 10,
    });
    const before = dumpWithoutAudit(world);
    const auditBefore = (await auditTrail(world, a.clinicId)).length;

    const requests = [
      send(a.practitioner, c.harriet, "harriet-1", "a different text"),
      send(a.patientEmailOnly, c.elena, "elena-1", "   "),
      send(a.frontDesk, c.milo, file.clientId, "text with a file's client id"),
    ];
    const outcomes = await world.chat.sendMessages(requests);

    expect(codes(outcomes)).toEqual(["ok", "ok", "CONFLICT"]);
    expect(outcomes[0]).toEqual({ ok: true, message: earlier.messages[0] });
    expect(outcomes[1]).toEqual({ ok: true, message: earlierElena.messages[0] });
    expect(!outcomes[2]!.ok && isDomainError(outcomes[2]!.error) && outcomes[2]!.error.details).toEqual({
      field: "clientId",
    });
    expect(dumpWithoutAudit(world)).toBe(before);
    const records = (await auditTrail(world, a.clinicId)).slice(auditBefore);
    expect(records.map((r) => [r.outcome, r.reason, r.conversationId, r.messageId ?? null])).toEqual([
      ["success", null, c.harriet, earlier.messages[0]!.id],
      ["success", null, c.elena, earlierElena.messages[0]!.id],
      ["denied", "CONFLICT", c.milo, null],
    ]);
    // The same sends alone answer the same.
    const alone = await oneByOne(world, requests);
    expect(alone.map((o) => comparable(world, o))).toEqual(outcomes.map((o) => comparable(world, o)));
  });

  it("NOTIF-1 NOTIF-3: two patients writing to one practitioner in one batch start one burst with one timer, and one notification goes out", async () => {
    const world = await createWorld();
    const { a } = world;
    const harriet = await patientConversation(world, a.practitioner, a.patient);
    const elena = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    const timersBefore = scheduledTimers(world).length;

    const outcomes = await world.chat.sendMessages([
      send(a.patient, harriet, "h", "first"),
      send(a.patientEmailOnly, elena, "e", "second"),
    ]);
    expect(codes(outcomes)).toEqual(["ok", "ok"]);

    const state = stateOf(world, a.practitioner);
    expect(state).toMatchObject({ status: "pending" });
    const burst = burstOf(world, a.practitioner);
    expect(burst.map((m) => m.messageId).sort()).toEqual(outcomes.map((o) => o.ok && o.message.id).sort());
    expect(burst.every((m) => state.status === "pending" && m.burstId === state.burstId)).toBe(true);
    const newTimers = scheduledTimers(world).slice(timersBefore);
    expect(newTimers.map((t) => personKey(t.timer.recipient))).toEqual([personKey(a.practitioner.person)]);

    await runTimers(world, timersBefore);
    const practitionerEmail = a.staff.find((s) => s.id === a.practitioner.person.id)!.email;
    expect(world.email.recipients().filter((to) => to === practitionerEmail)).toHaveLength(1);
  });

  it("NOTIF-1: a batch joining a recipient's pending burst from two conversations adds no timer, as two sends one after the other would", async () => {
    // In the scenario the practitioner has a burst pending (the email-only patient's message).
    const { world } = await batchAgreesWithTwin(
      async () => undefined,
      (w, c) => [
        send(w.a.patient, c.harriet, "h-2", "one"),
        send(w.a.patientEmailOnly, c.elena, "e-2", "two"),
      ],
    );
    const { a } = world;
    expect(burstOf(world, a.practitioner)).toHaveLength(3);
    expect(
      scheduledTimers(world).filter((t) => personKey(t.timer.recipient) === personKey(a.practitioner.person)),
    ).toHaveLength(1);
  });

  it("MSG-1 SEC-3: when the batch's unit of work fails as a whole, every send runs again alone and gets its own outcome; no message is doubled", async () => {
    let failures = 0;
    const { world, c, outcomes } = await batchAgreesWithTwin(
      async () => undefined,
      (w, c) => [
        send(w.a.patient, c.harriet, "h-2", "one"),
        send(w.a.admin, c.team, "empty", " "),
        send(w.a.frontDesk, c.milo, "m-1", "two"),
        send(w.a.practitioner, c.elena, "elena-1", "retry of another sender's id"),
      ],
      (w, requests) =>
        sendMessages(
          wrappedDeps(w, (stores) => ({
            ...stores,
            messages: {
              ...stores.messages,
              post: async (messages) => {
                if (failures === 0) {
                  failures++;
                  throw new Error("connection reset");
                }
                return stores.messages.post(messages);
              },
            },
          })),
          requests,
        ),
      // Run again alone, the sends run concurrently: a refusal's denied record (a unit of work of
      // its own) may land after the others' records.
      "any",
    );
    expect(failures).toBe(1);
    expect(codes(outcomes)).toEqual(["ok", "MESSAGE_EMPTY", "ok", "ok"]);
    const messages = messagesOf(world, world.a.clinicId);
    const keys = messages.map((m) => `${m.conversationId}#${m.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    const clientKeys = messages.map((m) => `${m.conversationId}|${personKey(m.sender)}|${m.clientId}`);
    expect(new Set(clientKeys).size).toBe(clientKeys.length);
    expect(messages.filter((m) => m.conversationId === c.harriet).map((m) => m.seq)).toEqual([1, 2]);
  });

  it("SEC-3: a store failure that outlasts the batch fails only the send it belongs to, recorded as a failure", async () => {
    const { world, c } = await scenario();
    const { a } = world;
    const broken = new Error("disk full");
    const deps = wrappedDeps(world, (stores) => ({
      ...stores,
      messages: {
        ...stores.messages,
        // Every batch of several fails, and so does any post into milo's conversation.
        post: async (messages) => {
          if (messages.length > 1 || messages.some((m) => m.conversationId === c.milo)) throw broken;
          return stores.messages.post(messages);
        },
      },
    }));
    const auditBefore = (await auditTrail(world, a.clinicId)).length;
    const outcomes = await sendMessages(deps, [
      send(a.patient, c.harriet, "h-2", "one"),
      send(a.frontDesk, c.milo, "m-1", "two"),
    ]);
    expect(outcomes[0]).toMatchObject({ ok: true, message: { conversationId: c.harriet, seq: 2 } });
    expect(outcomes[1]).toEqual({ ok: false, error: broken });
    expect(messagesOf(world, a.clinicId).filter((m) => m.conversationId === c.milo)).toEqual([]);
    const records: StoredAuditEvent[] = (await auditTrail(world, a.clinicId)).slice(auditBefore);
    expect(records.map((r) => [r.outcome, r.conversationId])).toEqual([
      ["success", c.harriet],
      ["failure", c.milo],
    ]);
  });

  it("SEC-3: a unit of work that fails as a whole is told to onSharedFailure once, with its error and the number of sends; a batch that commits, refusals included, is not", async () => {
    const { world, c } = await scenario();
    const { a } = world;
    const reported: [unknown, number][] = [];
    const onSharedFailure = (error: unknown, sends: number) => reported.push([error, sends]);
    const broken = new Error("connection reset");
    let failures = 0;
    const deps = wrappedDeps(world, (stores) => ({
      ...stores,
      messages: {
        ...stores.messages,
        post: async (messages) => {
          if (failures++ === 0) throw broken;
          return stores.messages.post(messages);
        },
      },
    }));
    const failed = await sendMessages(
      deps,
      [send(a.patient, c.harriet, "h-2", "one"), send(a.frontDesk, c.milo, "m-1", "two")],
      { onSharedFailure },
    );
    expect(codes(failed)).toEqual(["ok", "ok"]);
    expect(reported).toEqual([[broken, 2]]);
    const committed = await sendMessages(
      deps,
      [send(a.patient, c.harriet, "h-3", "three"), send(a.admin, c.team, "empty", " ")],
      { onSharedFailure },
    );
    expect(codes(committed)).toEqual(["ok", "MESSAGE_EMPTY"]);
    expect(reported).toHaveLength(1);
  });

  it("MSG-1 ELIG-5: sends of two clinics, or two sends into one conversation, are a programming error and write nothing; an empty list answers []", async () => {
    const { world, c } = await scenario();
    const { a, b } = world;
    const before = dumpJson(world);
    const runs = countRuns(world);

    expect(await world.chat.sendMessages([])).toEqual([]);
    await expect(
      world.chat.sendMessages([
        send(a.practitioner, c.harriet, "x-1", "one"),
        send(b.practitioner, c.foreign, "x-2", "two"),
      ]),
    ).rejects.toThrow(/one clinic/);
    await expect(
      world.chat.sendMessages([
        send(a.patient, c.harriet, "x-3", "one"),
        send(a.frontDesk, c.milo, "x-4", "two"),
        send(a.practitioner, c.harriet, "x-5", "three"),
      ]),
    ).rejects.toThrow(/one send per conversation/);
    const rejected = await world.chat
      .sendMessages([send(a.patient, c.harriet, "x-6", "one"), send(a.patient, c.harriet, "x-6", "one")])
      .catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(Error);
    expect(isDomainError(rejected)).toBe(false);

    expect(runs.count()).toBe(0);
    expect(dumpJson(world)).toBe(before);
  });
});
