import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionHeaders } from "../support/sessions";
import { type LiveClient, type LiveCluster, type LiveProcess, startLiveCluster } from "./support/liveCluster";

let cluster: LiveCluster;
let one: LiveProcess;
let two: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster();
  one = await cluster.startProcess("one");
  two = await cluster.startProcess("two");
});
afterAll(async () => {
  await cluster?.close();
});

/** The ids of a client's events are strictly increasing: in order, none twice. */
function expectInOrderOnce(client: LiveClient): void {
  const ids = client.received.filter((r) => r.data.type !== "ready").map((r) => Number(r.id));
  expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
}

/** The conversation of a clinic's patient with its doctor, started by the doctor through `process`. */
async function patientConversation(process: LiveProcess, clinic: LiveCluster["world"]["a"]) {
  const doctor = cluster.client(process, clinic.doctor);
  const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
    patientId: clinic.patient.id,
  });
  return { doctor, conversationId: conversation.id };
}

describe("live updates across two API processes", () => {
  it("MSG-2/DEL-4/MSG-3: a message sent through one process reaches the other's client; a deletion removes it there; a read moves the unread count", async () => {
    const { a } = cluster.world;
    const { doctor, conversationId } = await patientConversation(one, a);
    const patientTab = cluster.client(two, a.patient).subscribe();
    const doctorOtherTab = cluster.client(two, a.doctor).subscribe();
    await Promise.all([patientTab.ready(), doctorOtherTab.ready()]);

    // MSG-2: sent through process one, seen on process two with the message's view.
    const sent = await doctor.trpc.messages.send.mutate({
      conversationId,
      clientId: "c-1",
      text: "Your results are in",
    });
    await patientTab.until((c) => c.of("message.posted").length === 1, "the message on process two");
    const [posted] = patientTab.of("message.posted");
    expect(posted!.data).toMatchObject({
      conversationId,
      message: { id: sent.id, seq: sent.seq, body: { kind: "text", text: "Your results are in" } },
    });

    // DEL-4: deleted through process one, removed on process two.
    await doctor.trpc.messages.delete.mutate({ messageId: sent.id });
    await patientTab.until((c) => c.of("message.deleted").length === 1, "the deletion on process two");
    expect(patientTab.of("message.deleted")[0]!.data).toMatchObject({
      conversationId,
      messageId: sent.id,
      deletedBy: { kind: "staff", id: a.doctor.id },
    });

    // MSG-3: the patient writes twice; the doctor's other tab sees the unread count, then the read.
    const patient = cluster.client(one, a.patient);
    await patient.trpc.messages.send.mutate({ conversationId, clientId: "p-1", text: "Thank you" });
    const second = await patient.trpc.messages.send.mutate({
      conversationId,
      clientId: "p-2",
      text: "When next?",
    });
    await doctorOtherTab.until((c) => c.of("message.posted").length === 3, "the patient's messages");
    const before = await doctorOtherTab.trpc.conversations.list.query({ limit: 10 });
    expect(before.items.find((i) => i.conversation.id === conversationId)?.unreadCount).toBe(2);
    expect(before.totalUnread).toBe(2);
    await doctor.trpc.conversations.markRead.mutate({ conversationId, upToSeq: second.seq });
    await doctorOtherTab.until(
      (c) => c.of("conversation.read").length === 1,
      "the doctor's read on the other tab",
    );
    expect(doctorOtherTab.of("conversation.read")[0]!.data).toEqual({
      type: "conversation.read",
      conversationId,
      person: { kind: "staff", id: a.doctor.id },
      readUpToSeq: second.seq,
      totalUnread: 0,
    });
    const after = await doctorOtherTab.trpc.conversations.list.query({ limit: 10 });
    expect(after.items.find((i) => i.conversation.id === conversationId)?.unreadCount).toBe(0);
    // The patient sees the read state too, without anyone's unread total.
    await patientTab.until(
      (c) => c.of("conversation.read").length === 1,
      "the read state on the patient's tab",
    );
    expect(patientTab.of("conversation.read")[0]!.data).toMatchObject({
      readUpToSeq: second.seq,
      totalUnread: null,
    });
    expectInOrderOnce(patientTab);
    expectInOrderOnce(doctorOtherTab);
    patientTab.unsubscribe();
    doctorOtherTab.unsubscribe();
  });

  it("MSG-2: a client that drops and misses 50 events gets each of them once, in order, when it reconnects with its last event id", async () => {
    const { b } = cluster.world;
    const { doctor, conversationId } = await patientConversation(one, b);
    const patientTab = cluster.client(two, b.patient).subscribe();
    await patientTab.ready();
    await doctor.trpc.messages.send.mutate({ conversationId, clientId: "before", text: "before the drop" });
    await patientTab.until((c) => c.of("message.posted").length === 1, "the first message");

    const lastBeforeDrop = patientTab.received.at(-1)!.id;
    patientTab.control.holdReconnects();
    patientTab.control.cut();
    const missed: string[] = [];
    for (let i = 0; i < 50; i++) {
      const sent = await doctor.trpc.messages.send.mutate({
        conversationId,
        clientId: `missed-${i}`,
        text: `missed ${i}`,
      });
      missed.push(sent.id);
    }
    expect(patientTab.of("message.posted")).toHaveLength(1);
    patientTab.control.releaseReconnects();
    await patientTab.until((c) => c.of("message.posted").length >= 51, "the 50 missed messages");
    await patientTab.ready(2);

    const afterDrop = patientTab.of("message.posted").slice(1);
    expect(afterDrop.map((r) => r.data.message.id)).toEqual(missed);
    expect(afterDrop.map((r) => r.data.message.seq)).toEqual(missed.map((_, i) => i + 2));
    expectInOrderOnce(patientTab);
    // It reconnected once, with the id of the last event it had.
    expect(patientTab.control.connects).toBe(2);
    expect(patientTab.control.lastEventIds).toEqual([null, lastBeforeDrop]);
    patientTab.unsubscribe();
  });

  it("MSG-2: the same across a restart of the process the client was connected to (graceful shutdown closes its stream)", async () => {
    const { a } = cluster.world;
    const conversationId = (
      await cluster.client(one, a.nurse).trpc.conversations.startTeam.mutate({ staffIds: [a.admin.id] })
    ).conversation.id;
    const sender = cluster.client(one, a.nurse);
    const adminTab = cluster.client(two, a.admin).subscribe();
    await adminTab.ready();
    await sender.trpc.messages.send.mutate({ conversationId, clientId: "r-0", text: "before the restart" });
    await adminTab.until((c) => c.of("message.posted").length === 1, "the first team message");

    const lastBeforeRestart = adminTab.received.at(-1)!.id;
    const port = two.port;
    // Graceful shutdown ends the stream with a retryable error (the server waits for that before it
    // stops); the client keeps trying to reconnect, without reporting an error.
    await two.stop();
    expect(two.live.stats().subscribers).toBe(0);
    const missed: string[] = [];
    for (let i = 0; i < 50; i++) {
      const sent = await sender.trpc.messages.send.mutate({
        conversationId,
        clientId: `r-${i + 1}`,
        text: `while down ${i}`,
      });
      missed.push(sent.id);
    }
    two = await cluster.startProcess("two again", port);
    await adminTab.until(
      (c) => c.of("message.posted").length >= 51,
      "the 50 messages sent during the restart",
    );
    expect(
      adminTab
        .of("message.posted")
        .slice(1)
        .map((r) => r.data.message.id),
    ).toEqual(missed);
    expectInOrderOnce(adminTab);
    // Every reconnect (a request may still reach the closing process, which sends it on) resumed
    // from the last event the client had.
    expect(adminTab.control.connects).toBeGreaterThanOrEqual(2);
    expect(adminTab.control.lastEventIds.slice(1).every((id) => id === lastBeforeRestart)).toBe(true);
    expect(adminTab.errors).toEqual([]);
    adminTab.unsubscribe();
  });

  it("ELIG-4/ELIG-5/ENT-4: a person never receives an event of a conversation they are not in, nor of another clinic; joining lets the rest through", async () => {
    const { a, b } = cluster.world;
    const tabs = {
      patient: cluster.client(two, a.otherPatient).subscribe(),
      nurse: cluster.client(one, a.nurse).subscribe(),
      foreignDoctor: cluster.client(two, b.doctor).subscribe(),
      foreignPatient: cluster.client(one, b.patient).subscribe(),
    };
    await Promise.all(Object.values(tabs).map((tab) => tab.ready()));
    const received = (tab: LiveClient) => tab.received.filter((r) => r.data.type !== "ready").length;
    const baseline = Object.fromEntries(Object.entries(tabs).map(([k, tab]) => [k, received(tab)]));

    // Activity in clinic a's conversation of `a.patient` (the nurse is not in it yet).
    const doctor = cluster.client(one, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    const hidden = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "e-1",
      text: "not for the nurse",
    });
    await doctor.trpc.messages.delete.mutate({ messageId: hidden.id });
    await cluster
      .client(two, a.patient)
      .trpc.conversations.markRead.mutate({ conversationId: conversation.id, upToSeq: 1 });
    // The nurse joins: from then on, the conversation's events reach her.
    await doctor.trpc.conversations.addParticipant.mutate({
      conversationId: conversation.id,
      staffId: a.nurse.id,
    });
    const visible = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "e-2",
      text: "now for the nurse",
    });
    // A new conversation that includes the other patient reaches them, and its first message too.
    const started = await doctor.trpc.conversations.startWithPatient.mutate({ patientId: a.otherPatient.id });
    const forOther = await doctor.trpc.messages.send.mutate({
      conversationId: started.conversation.id,
      clientId: "e-3",
      text: "hello Otto",
    });

    // A fence: a settings change in each clinic reaches every open session of that clinic (ENT-4),
    // after everything above. Events arrive in order, so once a tab has its fence, anything above
    // that would reach it has reached it.
    await cluster.client(one, a.admin).trpc.clinic.changeSettings.mutate({ smsNotificationsEnabled: true });
    await cluster.client(two, b.admin).trpc.clinic.changeSettings.mutate({ smsNotificationsEnabled: true });
    for (const tab of Object.values(tabs)) {
      await tab.until((c) => c.of("clinic.entitlements_changed").length === 1, "the fence");
    }

    const newSince = (tab: LiveClient, key: string) =>
      tab.received
        .filter((r) => r.data.type !== "ready")
        .slice(baseline[key])
        .map((r) => r.data);
    expect(newSince(tabs.nurse, "nurse").map((e) => e.type)).toEqual([
      "participant.added",
      "message.posted",
      "clinic.entitlements_changed",
    ]);
    expect(newSince(tabs.nurse, "nurse")[1]).toMatchObject({ message: { id: visible.id } });
    expect(newSince(tabs.patient, "patient").map((e) => e.type)).toEqual([
      "conversation.created",
      "message.posted",
      "clinic.entitlements_changed",
    ]);
    expect(newSince(tabs.patient, "patient")[1]).toMatchObject({ message: { id: forOther.id } });
    for (const key of ["foreignDoctor", "foreignPatient"] as const) {
      expect(
        newSince(tabs[key], key).map((e) => e.type),
        key,
      ).toEqual(["clinic.entitlements_changed"]);
    }
    const everything = JSON.stringify(Object.values(tabs).map((tab) => tab.received));
    expect(everything).not.toContain("not for the nurse");
    expect(everything).not.toContain(hidden.id);
    for (const tab of Object.values(tabs)) {
      expectInOrderOnce(tab);
      tab.unsubscribe();
    }
  });

  it("SEC-2: a signed-out person's stream stops receiving at once", async () => {
    const { b } = cluster.world;
    const conversationId = (
      await cluster
        .client(one, b.doctor)
        .trpc.conversations.startWithPatient.mutate({ patientId: b.otherPatient.id })
    ).conversation.id;
    const patientTab = cluster.client(two, b.otherPatient).subscribe();
    await patientTab.ready();
    cluster.signOut(b.otherPatient);
    await cluster
      .client(one, b.doctor)
      .trpc.messages.send.mutate({ conversationId, clientId: "after-sign-out", text: "after sign-out" });
    await patientTab.until((c) => c.errors.length === 1, "the end of the stream");
    expect(patientTab.errors[0]!.data).toMatchObject({ code: "UNAUTHORIZED" });
    expect(patientTab.of("message.posted")).toEqual([]);
    expect(JSON.stringify(patientTab.received)).not.toContain("after sign-out");
  });

  it("SEC-6: the stream refuses invalid input before anything is sent, and echoes none of it", async () => {
    const { a } = cluster.world;
    for (const input of [
      { lastEventId: "12; drop" },
      { lastEventId: "1".repeat(40) },
      { junk: "PHI-marker" },
    ]) {
      const response = await fetch(
        `${one.url}/trpc/live.events?input=${encodeURIComponent(JSON.stringify(input))}`,
        {
          headers: { accept: "text/event-stream", ...sessionHeaders(cluster.world.sessionOf(a.patient)) },
        },
      );
      const body = await response.text();
      expect(body).toContain('"code":"BAD_REQUEST"');
      expect(body).not.toMatch(/^id:/m);
      expect(body).not.toContain("PHI-marker");
      expect(body).not.toContain("drop");
    }
  });

  it("SEC-1: the stream refuses a request without a session", async () => {
    const response = await fetch(`${one.url}/trpc/live.events?input=${encodeURIComponent("{}")}`, {
      headers: { accept: "text/event-stream" },
    });
    // tRPC answers a subscription over SSE with the error as the stream's only event.
    const body = await response.text();
    expect(body).toContain("event: serialized-error");
    expect(body).toContain('"code":"UNAUTHORIZED"');
    expect(body).not.toMatch(/^id:/m);
  });
});
