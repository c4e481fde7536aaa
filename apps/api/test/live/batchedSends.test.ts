import type { MessageView, Patient, StaffMember } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type LiveClient,
  type LiveCluster,
  type LiveProcess,
  type Received,
  startLiveCluster,
  within,
} from "./support/liveCluster";

// `messages.send` goes through the SendBatcher (src/sends/sendBatcher.ts): concurrent sends of a
// clinic, one per conversation, are one unit of work (`sendMessages`), their messages and
// `message.posted` events written in one transaction (`postAll`). These tests hold the event log
// while a burst of sends reaches process A, so the sends queue in A's batcher and really leave
// together, and then check what process B's live streams deliver (MSG-2, ELIG-4, ELIG-5, SEC-4).

type Person = StaffMember | Patient;

let cluster: LiveCluster;
let A: LiveProcess;
let B: LiveProcess;

beforeEach(async () => {
  cluster = await startLiveCluster();
  A = await cluster.startProcess("A");
  B = await cluster.startProcess("B");
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cluster?.close();
});

/** A conversation of the burst and the people in it. */
interface Chat {
  readonly name: string;
  readonly id: string;
  readonly members: readonly Person[];
}

/** One `messages.send` call of a burst. */
interface Call {
  readonly sender: Person;
  readonly chat: Chat;
  readonly clientId: string;
  readonly text: string;
}

/** A send and its answer. */
interface Sent {
  readonly call: Call;
  /** The sender's answer (as it arrived over HTTP: the fields these tests use). */
  readonly message: Pick<MessageView, "id" | "seq">;
}

/**
 * Conversations in both clinics, all started through process A: a patient chat and four team
 * chats in clinic A, a patient chat and a team chat in clinic B. Clinic A's other patient and
 * clinic B's admin and other patient are in none of them.
 */
async function startChats(): Promise<Chat[]> {
  const { a, b } = cluster.world;
  const patientChat = async (name: string, staff: StaffMember, patient: Patient): Promise<Chat> => {
    const { conversation } = await cluster
      .client(A, staff)
      .trpc.conversations.startWithPatient.mutate({ patientId: patient.id });
    return { name, id: conversation.id, members: [staff, patient] };
  };
  const team = async (name: string, starter: StaffMember, others: StaffMember[]): Promise<Chat> => {
    const { conversation } = await cluster
      .client(A, starter)
      .trpc.conversations.startTeam.mutate({ staffIds: others.map((o) => o.id) });
    return { name, id: conversation.id, members: [starter, ...others] };
  };
  const chats = [
    await patientChat("aPatient", a.doctor, a.patient),
    await team("aDoctorNurse", a.doctor, [a.nurse]),
    await team("aDoctorAdmin", a.doctor, [a.admin]),
    await team("aNurseAdmin", a.nurse, [a.admin]),
    await team("aAll", a.doctor, [a.nurse, a.admin]),
    await patientChat("bPatient", b.doctor, b.patient),
    await team("bDoctorNurse", b.doctor, [b.nurse]),
  ];
  expect(new Set(chats.map((c) => c.id)).size).toBe(chats.length);
  // Both processes know the conversations before any stream opens.
  await Promise.all([A.feed.readNow(), B.feed.readNow()]);
  return chats;
}

/**
 * The burst's calls, round-robin over `plan` (sender, chat, how many), so the sends of different
 * conversations and of one conversation alternate as they reach the server.
 */
function burst(chats: Chat[], plan: [Person, string, number][], tag: string): Call[] {
  const calls: Call[] = [];
  const rounds = Math.max(...plan.map(([, , n]) => n));
  for (let round = 1; round <= rounds; round++) {
    for (const [sender, chatName, n] of plan) {
      if (round > n) continue;
      const chat = chats.find((c) => c.name === chatName);
      if (!chat) throw new Error(`no chat ${chatName}`);
      const clientId = `${tag}-${chatName}-${sender.id.slice(-4)}-${round}`;
      calls.push({ sender, chat, clientId, text: `${tag}: ${sender.name} in ${chatName}, #${round}` });
    }
  }
  return calls;
}

/** The first burst: several senders per conversation, several sends per sender, both clinics. */
function firstBurst(chats: Chat[], tag = "burst"): Call[] {
  const { a, b } = cluster.world;
  return burst(
    chats,
    [
      [a.doctor, "aPatient", 3],
      [a.patient, "aPatient", 3],
      [a.doctor, "aDoctorNurse", 2],
      [a.nurse, "aDoctorNurse", 2],
      [a.admin, "aDoctorAdmin", 3],
      [a.nurse, "aNurseAdmin", 2],
      [a.admin, "aNurseAdmin", 1],
      [a.admin, "aAll", 2],
      [a.nurse, "aAll", 1],
      [a.doctor, "aAll", 1],
      [b.patient, "bPatient", 2],
      [b.doctor, "bPatient", 2],
      [b.nurse, "bDoctorNurse", 2],
    ],
    tag,
  );
}

/**
 * Holds every insert into the event log (a transaction of the owner holding an EXCLUSIVE lock on
 * `conversation_events`, which reads do not conflict with) until the returned function is called.
 */
async function holdEventLog(): Promise<() => Promise<void>> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const held = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const transaction = cluster.database.owner.transaction().execute(async (trx) => {
    await sql`lock table conversation_events in exclusive mode`.execute(trx);
    locked();
    await gate;
  });
  await within(Promise.race([held, transaction]), "the lock on the event log");
  return async () => {
    release();
    await transaction;
  };
}

/**
 * Sends `calls` concurrently over HTTP to process A while the event log is held, waits until every
 * one of them has reached A's batcher (so they queue there: the batcher's in-flight batches are
 * stuck on the lock), and returns the release: it lets the batches through and resolves with each
 * call's answer.
 */
async function heldBurst(calls: Call[]): Promise<() => Promise<Sent[]>> {
  const sends = A.deps.sends;
  const send = sends.send.bind(sends);
  let arrived = 0;
  let allArrived!: () => void;
  const everyone = new Promise<void>((resolve) => {
    allArrived = resolve;
  });
  const spy = vi.spyOn(sends, "send").mockImplementation((actor, input) => {
    arrived++;
    if (arrived === calls.length) allArrived();
    return send(actor, input);
  });
  const releaseLog = await holdEventLog();
  try {
    const clients = new Map<string, LiveClient>();
    const clientOf = (person: Person) => {
      const known = clients.get(person.id);
      if (known) return known;
      const client = cluster.client(A, person);
      clients.set(person.id, client);
      return client;
    };
    const answers = calls.map((call) =>
      clientOf(call.sender).trpc.messages.send.mutate({
        conversationId: call.chat.id,
        clientId: call.clientId,
        text: call.text,
      }),
    );
    // A refused or failed send fails its promise: surfaced when the answers are awaited.
    for (const answer of answers) answer.catch(() => undefined);
    await within(everyone, `all ${calls.length} sends at process A's batcher (${arrived} arrived)`);
    spy.mockRestore();
    return async () => {
      await releaseLog();
      const messages = await within(Promise.all(answers), "the burst's answers");
      return messages.map((message, i) => ({ call: calls[i]!, message }));
    };
  } catch (error) {
    spy.mockRestore();
    await releaseLog();
    throw error;
  }
}

/** The transaction each sent message's `message.posted` event was written in, by the row's xmin. */
async function transactionsOf(sent: Sent[]) {
  const ids = sent.map((s) => s.message.id);
  const { rows } = await sql<{ xid: string; clinic_id: string; conversation_id: string; message_id: string }>`
    select xmin::text as xid, clinic_id::text, conversation_id::text, message_id::text
    from conversation_events
    where type = 'message.posted' and message_id::text = any(${ids}::text[])
  `.execute(cluster.database.owner);
  // Exactly one event per message.
  expect(rows.map((r) => r.message_id).sort()).toEqual([...ids].sort());
  const byTransaction = new Map<string, typeof rows>();
  for (const row of rows) byTransaction.set(row.xid, [...(byTransaction.get(row.xid) ?? []), row]);
  return [...byTransaction.values()];
}

/** Each conversation's messages of `sent` are numbered 1, 2, … with no gap and no repeat (MSG-1). */
function expectGaplessSeqs(sent: Sent[], chats: Chat[]): void {
  for (const chat of chats) {
    const seqs = sent
      .filter((s) => s.call.chat.id === chat.id)
      .map((s) => s.message.seq)
      .sort((x, y) => x - y);
    expect(seqs, chat.name).toEqual(seqs.map((_, i) => i + 1));
  }
}

/** The ids of a client's events are strictly increasing: in order, none twice. */
function expectInOrderOnce(client: LiveClient): void {
  const ids = client.received.filter((r) => r.data.type !== "ready").map((r) => Number(r.id));
  expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
}

/** Per conversation, the seqs of the messages a client received, in the order received. */
function seqsByConversation(posted: (Received & { data: { type: "message.posted" } })[]) {
  const seqs = new Map<string, number[]>();
  for (const r of posted) {
    const { conversationId, message } = r.data as Extract<Received["data"], { type: "message.posted" }>;
    seqs.set(conversationId, [...(seqs.get(conversationId) ?? []), message.seq]);
  }
  return seqs;
}

/**
 * A fence: a settings change in each clinic reaches every open stream of that clinic (ENT-4) after
 * everything before it. Events arrive in order, so once a tab has its fence, every event above
 * that would reach it has reached it.
 */
async function fence(tabs: LiveClient[], count = 1): Promise<void> {
  const { a, b } = cluster.world;
  for (const admin of [a.admin, b.admin]) {
    await cluster
      .client(A, admin)
      .trpc.clinic.changeSettings.mutate({ smsNotificationsEnabled: count % 2 === 1 });
  }
  for (const tab of tabs) {
    await tab.until((c) => c.of("clinic.entitlements_changed").length === count, `the fence #${count}`);
  }
}

const isIn = (chat: Chat, person: Person) => chat.members.some((m) => m.id === person.id);

describe("batched sends through one process reach the other's live streams (MSG-2)", () => {
  it("MSG-2 ELIG-4 ELIG-5 SEC-4: a burst of concurrent sends, batched in process A, reaches each participant on process B exactly once, each conversation in seq order, and no one else", async () => {
    const { a, b } = cluster.world;
    const chats = await startChats();
    const people: Person[] = [
      a.doctor,
      a.nurse,
      a.admin,
      a.patient,
      a.otherPatient,
      b.doctor,
      b.nurse,
      b.patient,
      b.admin,
      b.otherPatient,
    ];
    const tabs = new Map(people.map((p) => [p.id, cluster.client(B, p).subscribe()]));
    await Promise.all([...tabs.values()].map((tab) => tab.ready()));

    const calls = firstBurst(chats);
    const release = await heldBurst(calls);
    const sent = await release();
    expect(sent).toHaveLength(26);
    expectGaplessSeqs(sent, chats);

    // The sends really shared units of work: several messages, of different conversations, in one
    // transaction; each transaction holds one clinic's messages, one per conversation.
    const transactions = await transactionsOf(sent);
    const sizes = transactions.map((t) => t.length);
    expect(Math.max(...sizes), `transaction sizes ${sizes.join(",")}`).toBeGreaterThanOrEqual(2);
    expect(transactions.length).toBeLessThan(sent.length);
    for (const t of transactions) {
      expect(new Set(t.map((r) => r.clinic_id)).size).toBe(1);
      expect(new Set(t.map((r) => r.conversation_id)).size).toBe(t.length);
    }

    await fence([...tabs.values()]);

    for (const person of people) {
      const tab = tabs.get(person.id)!;
      const mine = sent.filter((s) => isIn(s.call.chat, person));
      // Nothing but the messages of their conversations, then the fence.
      expect(
        tab.received.filter((r) => r.data.type !== "ready").map((r) => r.data.type),
        person.name,
      ).toEqual([...mine.map(() => "message.posted"), "clinic.entitlements_changed"]);
      const posted = tab.of("message.posted");
      // Each message exactly once, as its sender's answer describes it.
      expect(posted.map((r) => r.data.message.id).sort()).toEqual(mine.map((s) => s.message.id).sort());
      const byId = new Map(mine.map((s) => [s.message.id, s]));
      for (const r of posted) {
        const s = byId.get(r.data.message.id)!;
        expect(r.data).toMatchObject({
          conversationId: s.call.chat.id,
          message: { seq: s.message.seq, body: { kind: "text", text: s.call.text } },
        });
      }
      // Per conversation, in seq order: 1, 2, 3, …
      for (const [conversationId, seqs] of seqsByConversation(posted)) {
        expect(seqs, `${person.name} in ${conversationId}`).toEqual(seqs.map((_, i) => i + 1));
      }
      expectInOrderOnce(tab);
    }
    // Outsiders: clinic A's other patient (ELIG-4), everyone of clinic B for clinic A's sends and
    // the other way round (ELIG-5, SEC-4).
    for (const outsider of [a.otherPatient, b.admin, b.otherPatient])
      expect(tabs.get(outsider.id)!.of("message.posted"), outsider.name).toEqual([]);
    for (const [clinic, others] of [
      [a, b],
      [b, a],
    ] as const) {
      const foreign = JSON.stringify(
        [others.doctor, others.nurse, others.admin, others.patient, others.otherPatient].map(
          (p) => tabs.get(p.id)!.received,
        ),
      );
      for (const s of sent.filter((s) => s.call.chat.members[0]!.clinicId === clinic.clinicId)) {
        expect(foreign).not.toContain(s.message.id);
        expect(foreign).not.toContain(s.call.text);
      }
    }
  });

  it("MSG-2: a client on B that drops during a burst of batched sends gets every missed event exactly once, in order, when it reconnects with its last event id", async () => {
    const { a } = cluster.world;
    const chats = await startChats();
    const doctorTab = cluster.client(B, a.doctor).subscribe();
    const patientTab = cluster.client(B, a.patient).subscribe();
    await Promise.all([doctorTab.ready(), patientTab.ready()]);
    const doctorChats = chats.filter((c) => isIn(c, a.doctor));

    // The first burst: the doctor's stream is cut as soon as its first message arrives, while the
    // other batches are still being written and delivered.
    const release = await heldBurst(firstBurst(chats, "first"));
    const answers = release();
    await doctorTab.until((c) => c.of("message.posted").length >= 1, "the burst's first message");
    doctorTab.control.holdReconnects();
    doctorTab.control.cut();
    const first = await answers;
    // A second burst while it is away: it misses all of that one.
    const second = await (await heldBurst(firstBurst(chats, "second")))();
    const sent = [...first, ...second];
    expectGaplessSeqs(sent, chats);
    for (const burstSent of [first, second]) {
      const sizes = (await transactionsOf(burstSent)).map((t) => t.length);
      expect(Math.max(...sizes), `transaction sizes ${sizes.join(",")}`).toBeGreaterThanOrEqual(2);
    }

    const mine = sent.filter((s) => isIn(s.call.chat, a.doctor));
    const patients = sent.filter((s) => isIn(s.call.chat, a.patient));
    // The tab that stayed connected has every message of its conversation meanwhile.
    await patientTab.until(
      (c) => c.of("message.posted").length >= patients.length,
      "the patient's messages on the connected tab",
    );
    const beforeReconnect = doctorTab.of("message.posted").length;
    expect(beforeReconnect).toBeGreaterThanOrEqual(1);
    expect(beforeReconnect).toBeLessThan(mine.length);
    const lastEventId = doctorTab.received.filter((r) => r.data.type !== "ready").at(-1)!.id;

    doctorTab.control.releaseReconnects();
    await doctorTab.ready(2);
    await doctorTab.until((c) => c.of("message.posted").length >= mine.length, "the missed messages");
    await fence([doctorTab, patientTab]);

    // It reconnected once, with the id of the last event it had.
    expect(doctorTab.control.connects).toBe(2);
    expect(doctorTab.control.lastEventIds).toEqual([null, lastEventId]);
    for (const [tab, expected, who] of [
      [doctorTab, mine, "doctor"],
      [patientTab, patients, "patient"],
    ] as const) {
      const posted = tab.of("message.posted");
      // Every message of their conversations exactly once: nothing lost, nothing repeated.
      expect(posted.map((r) => r.data.message.id).sort(), who).toEqual(
        expected.map((s) => s.message.id).sort(),
      );
      expect(
        tab.received.filter((r) => r.data.type !== "ready").map((r) => r.data.type),
        who,
      ).toEqual([...expected.map(() => "message.posted"), "clinic.entitlements_changed"]);
      for (const [conversationId, seqs] of seqsByConversation(posted)) {
        expect(seqs, `${who} in ${conversationId}`).toEqual(seqs.map((_, i) => i + 1));
      }
      expectInOrderOnce(tab);
    }
    // The replay started right after the last event it had.
    const afterDrop = doctorTab.received.filter((r) => Number(r.id) > Number(lastEventId));
    expect(afterDrop.filter((r) => r.data.type === "message.posted")).toHaveLength(
      mine.length - beforeReconnect,
    );
    expect(new Set(doctorTab.of("message.posted").map((r) => r.data.conversationId))).toEqual(
      new Set(doctorChats.map((c) => c.id)),
    );
  });
});
