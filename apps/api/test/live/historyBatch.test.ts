import { request as httpRequest } from "node:http";
import {
  type ClinicChat,
  DomainError,
  type HistoryPage,
  type HistoryRead,
  type HistoryReadResult,
} from "@clinic-chat/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveHistoryReads } from "../../src/live/liveReads";
import { sessionHeaders } from "../support/sessions";
import {
  type LiveCluster,
  type LiveProcess,
  liveCookie,
  startLiveCluster,
  within,
} from "./support/liveCluster";

// The live path's history reads (SEC-3) go to the database as one unit of work per clinic per
// tick: the reads the hub's pipelines make for the people of one feed batch are asked together.

const actor = (id: string, clinicId = "clinic-a") => ({
  clinicId,
  person: { kind: "staff" as const, id },
  ip: `203.0.113.${id.length}`,
});
const read = (id: string, clinicId = "clinic-a"): HistoryRead => ({
  actor: actor(id, clinicId),
  conversationId: `conversation-of-${id}`,
  beforeSeq: 5,
  limit: 1,
});
const pageOf = (r: HistoryRead): HistoryPage => ({ messages: [], nextBeforeSeq: r.beforeSeq });

/** Use cases whose readHistories records each call and answers by `answer` (or fails with `fail`). */
function fakeChat(answer: (r: HistoryRead) => HistoryReadResult = (r) => ({ ok: true, value: pageOf(r) })) {
  const calls: { clinicId: string; reads: HistoryRead[] }[] = [];
  const state = { fail: null as Error | null };
  const chat = {
    async readHistories(clinicId: string, reads: readonly HistoryRead[]) {
      calls.push({ clinicId, reads: [...reads] });
      await Promise.resolve();
      if (state.fail) throw state.fail;
      return reads.map(answer);
    },
  } as unknown as ClinicChat;
  return { chat, calls, state };
}

describe("liveHistoryReads batches one tick's reads per clinic (SEC-3)", () => {
  it("SEC-3 ELIG-5: reads asked in one tick are one readHistories call per clinic, each caller getting its own page", async () => {
    const { chat, calls } = fakeChat();
    const reads = liveHistoryReads();
    const asked = [read("ada"), read("bo", "clinic-b"), read("cy"), read("dee")];
    const pages = await Promise.all(asked.map((r) => reads.read(chat, r)));
    expect(pages).toEqual(asked.map(pageOf));
    expect(calls.map((c) => [c.clinicId, c.reads.map((r) => r.actor.person.id)])).toEqual([
      ["clinic-a", ["ada", "cy", "dee"]],
      ["clinic-b", ["bo"]],
    ]);
    // Each read keeps its own actor (the audit record's ip is the person's, SEC-3).
    expect(calls[0]!.reads).toEqual([asked[0], asked[2], asked[3]]);
  });

  it("SEC-3: reads of different ticks are separate calls", async () => {
    const { chat, calls } = fakeChat();
    const reads = liveHistoryReads();
    await reads.read(chat, read("ada"));
    await reads.read(chat, read("ada"));
    expect(calls).toHaveLength(2);
  });

  it("SEC-3 ELIG-4: a refused read throws its own DomainError to its caller only, as readHistory would have", async () => {
    const refusal = new DomainError("NOT_FOUND");
    const { chat, calls } = fakeChat((r) =>
      r.actor.person.id === "eve" ? { ok: false, error: refusal } : { ok: true, value: pageOf(r) },
    );
    const reads = liveHistoryReads();
    const outcomes = await Promise.allSettled([
      reads.read(chat, read("ada")),
      reads.read(chat, read("eve")),
      reads.read(chat, read("cy")),
    ]);
    expect(outcomes).toEqual([
      { status: "fulfilled", value: pageOf(read("ada")) },
      { status: "rejected", reason: refusal },
      { status: "fulfilled", value: pageOf(read("cy")) },
    ]);
    expect(calls).toHaveLength(1);
  });

  it("SEC-3: a failed call rejects every read of it (as one failed read did), not another clinic's, and the next tick asks again", async () => {
    const { chat, calls, state } = fakeChat();
    const reads = liveHistoryReads();
    const broken = new Error("database unreachable");
    const failing = fakeChat();
    failing.state.fail = broken;
    const outcomes = await Promise.allSettled([
      reads.read(failing.chat, read("ada")),
      reads.read(failing.chat, read("cy")),
      reads.read(chat, read("bo", "clinic-b")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    for (const o of outcomes.slice(0, 2)) expect((o as PromiseRejectedResult).reason).toBe(broken);
    state.fail = null;
    failing.state.fail = null;
    expect(await reads.read(failing.chat, read("ada"))).toEqual(pageOf(read("ada")));
    expect(failing.calls).toHaveLength(2);
    expect(calls).toHaveLength(1);
  });
});

describe("the hub's reads of one feed batch are one unit of work (SEC-3, MSG-2)", () => {
  let cluster: LiveCluster;
  let server: LiveProcess;
  beforeAll(async () => {
    cluster = await startLiveCluster({ cookieSessions: true });
    server = await cluster.startProcess("server");
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it("SEC-3 MSG-2 ELIG-4: a message reaching four people is read for them in one readHistories call, each audited as themselves; a non-participant is not read for", async () => {
    const { a } = cluster.world;
    const doctor = cluster.client(server, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    for (const staffId of [a.nurse.id, a.admin.id])
      await doctor.trpc.conversations.addParticipant.mutate({ conversationId: conversation.id, staffId });
    await server.feed.readNow();
    const readers = [a.doctor, a.patient, a.nurse, a.admin];
    const tabs = readers.map((person) => cluster.client(server, person).subscribe());
    const secondPatientTab = cluster.client(server, a.patient).subscribe();
    const outsider = cluster.client(server, a.otherPatient).subscribe();
    await Promise.all([...tabs, secondPatientTab, outsider].map((tab) => tab.ready()));

    const before = cluster.historyBatches.length;
    const sent = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "batch-1",
      text: "To four people",
    });
    for (const tab of [...tabs, secondPatientTab])
      await tab.until((c) => c.of("message.posted").length === 1, "the message");

    const batches = cluster.historyBatches.slice(before);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((r) => r.actor.person.id).sort()).toEqual(readers.map((p) => p.id).sort());
    for (const r of batches[0]!)
      expect(r).toMatchObject({ conversationId: conversation.id, beforeSeq: sent.seq + 1, limit: 1 });
    expect(outsider.of("message.posted")).toEqual([]);

    // One success record per reader, as their own readHistory wrote it (SEC-3).
    const records = await server.uow.run(a.clinicId, (stores) =>
      stores.audit.list({ limit: 100, action: "conversation.read_history", conversationId: conversation.id }),
    );
    expect(
      records.items
        .map((r) => [r.actor?.id, r.outcome, r.reason])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual(readers.map((p) => [p.id, "success", null]).sort((x, y) => x[0]!.localeCompare(y[0]!)));
    for (const tab of [...tabs, secondPatientTab, outsider]) tab.unsubscribe();
  });

  it("SEC-3 MSG-2: a person's streams from two addresses (phone and desktop) get one read, audited once for each address", async () => {
    const { a } = cluster.world;
    const doctor = cluster.client(server, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.otherPatient.id,
    });
    await server.feed.readNow();
    const patient = cluster.client(server, a.otherPatient);
    const desktop = patient.subscribe();
    // The phone: the same sign-in, from another address (127.0.0.2 is loopback too).
    let phoneData = "";
    let phoneSaw!: () => void;
    let phoneReady!: () => void;
    const ready = new Promise<void>((resolve) => {
      phoneReady = resolve;
    });
    const saw = new Promise<void>((resolve) => {
      phoneSaw = resolve;
    });
    const phone = httpRequest(`${server.url}/trpc/live.events`, {
      localAddress: "127.0.0.2",
      headers: {
        accept: "text/event-stream",
        ...sessionHeaders(patient.session),
        ...liveCookie(patient.session),
      },
    });
    phone.on("response", (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        phoneData += chunk;
        if (phoneData.includes('"type":"ready"')) phoneReady();
        if (phoneData.includes("From the clinic, to two devices")) phoneSaw();
      });
    });
    phone.end();
    try {
      await desktop.ready();
      await within(ready, "the phone's stream");
      const before = cluster.historyBatches.length;
      await doctor.trpc.messages.send.mutate({
        conversationId: conversation.id,
        clientId: "two-devices",
        text: "From the clinic, to two devices",
      });
      await desktop.until((c) => c.of("message.posted").length === 1, "the message on the desktop");
      await within(saw, "the message on the phone");
      // One read for the person (their streams share it) ...
      const mine = cluster.historyBatches
        .slice(before)
        .flat()
        .filter((r) => r.actor.person.id === a.otherPatient.id);
      expect(mine).toHaveLength(1);
      // ... and one success record per address it reached.
      const records = await server.uow.run(a.clinicId, (stores) =>
        stores.audit.list({
          limit: 100,
          action: "conversation.read_history",
          conversationId: conversation.id,
        }),
      );
      const reads = records.items.filter((r) => r.actor?.id === a.otherPatient.id);
      expect(reads.map((r) => [r.outcome, r.ip?.replace(/^::ffff:/, "")]).sort()).toEqual([
        ["success", "127.0.0.1"],
        ["success", "127.0.0.2"],
      ]);
    } finally {
      phone.destroy();
      desktop.unsubscribe();
    }
  });
});
