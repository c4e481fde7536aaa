import { typingFloorMs } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveClient, type LiveCluster, type LiveProcess, startLiveCluster } from "./support/liveCluster";

// The typing indicator (PRODUCT §8, "Both apps": a typing indicator, not stored) across two API
// processes on one real PostgreSQL.

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rows of every table of the database (every schema but the catalogs), as the superuser sees them (no RLS). */
async function rowCounts(): Promise<Record<string, number>> {
  const owner = cluster.database.owner;
  const tables = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
     order by 1, 2`.execute(owner);
  const counts: Record<string, number> = {};
  for (const { schema, name } of tables.rows) {
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from ${sql.table(`${schema}.${name}`)}`.execute(owner);
    counts[`${schema}.${name}`] = Number(rows[0]!.n);
  }
  return counts;
}

const typingOf = (client: LiveClient) => client.of("conversation.typing");

describe("typing indicator across two API processes", () => {
  it("ELIG-4/ELIG-5: reaches the other participant on the other process, never the typist, a non-participant or another clinic; repeats are dropped; nothing is stored or audited", async () => {
    const { a, b } = cluster.world;
    const doctor = cluster.client(one, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    const conversationId = conversation.id;
    // A message first, so the streams have an event id to keep.
    await doctor.trpc.messages.send.mutate({ conversationId, clientId: "t-1", text: "Hello" });
    // Both feeds past it before the tabs open: a tab opened earlier would receive it live, and its
    // delivery (an audited read, SEC-3) could land after the row counts below are taken.
    await Promise.all([one.feed.readNow(), two.feed.readNow()]);

    const patientTab = cluster.client(two, a.patient).subscribe();
    const doctorOtherTab = cluster.client(two, a.doctor).subscribe();
    const nurseTab = cluster.client(two, a.nurse).subscribe();
    const otherPatientTab = cluster.client(one, a.otherPatient).subscribe();
    const otherClinicTab = cluster.client(two, b.doctor).subscribe();
    const tabs = [patientTab, doctorOtherTab, nurseTab, otherPatientTab, otherClinicTab];
    await Promise.all(tabs.map((tab) => tab.ready()));
    await Promise.all([one.feed.readNow(), two.feed.readNow()]);

    const before = await rowCounts();
    expect(before["public.audit_log"]).toBeGreaterThan(0);

    // Sent through process one, seen by the patient's tab on process two; a flood of repeats at
    // once adds nothing.
    await doctor.trpc.live.typing.mutate({ conversationId });
    await Promise.all([
      doctor.trpc.live.typing.mutate({ conversationId }),
      doctor.trpc.live.typing.mutate({ conversationId }),
    ]);
    await patientTab.until((c) => typingOf(c).length === 1, "the typing notice on process two");
    expect(typingOf(patientTab)[0]!.data).toEqual({
      type: "conversation.typing",
      conversationId,
      person: { kind: "staff", id: a.doctor.id },
    });
    // No id of its own: the client keeps the last event id it had (its `ready`), so a resume replays nothing twice.
    const lastTracked = patientTab.received.filter((r) => r.data.type !== "conversation.typing").at(-1)!;
    expect(typingOf(patientTab)[0]!.id).toBe(lastTracked.id);

    // ELIG-4: a non-participant may not announce typing there, and learns nothing of the conversation.
    const nurse = cluster.client(one, a.nurse);
    await expect(nurse.trpc.live.typing.mutate({ conversationId })).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });
    // ELIG-5: nor may someone of another clinic.
    const otherClinicDoctor = cluster.client(two, b.doctor);
    await expect(otherClinicDoctor.trpc.live.typing.mutate({ conversationId })).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });

    // After silence, a new notice passes again, from the other side through the other process.
    await sleep(typingFloorMs);
    const patient = cluster.client(two, a.patient);
    await patient.trpc.live.typing.mutate({ conversationId });
    await doctorOtherTab.until((c) => typingOf(c).length === 1, "the patient's typing on the doctor's tab");
    await doctor.trpc.live.typing.mutate({ conversationId });
    await patientTab.until((c) => typingOf(c).length === 2, "the doctor's second notice");

    // Every notice of a process goes out on its one NOTIFY connection, in order: the doctor's
    // second notice arriving means the repeats before it were never sent.
    expect(typingOf(patientTab)).toHaveLength(2);
    expect(typingOf(doctorOtherTab).map((r) => r.data)).toEqual([
      { type: "conversation.typing", conversationId, person: { kind: "patient", id: a.patient.id } },
    ]);
    for (const outsider of [nurseTab, otherPatientTab, otherClinicTab])
      expect(typingOf(outsider)).toEqual([]);

    // Nothing of it was stored or audited: every table holds the rows it held before.
    await Promise.all([one.feed.readNow(), two.feed.readNow()]);
    expect(await rowCounts()).toEqual(before);

    // The streams go on as before: a message after the notices arrives with the next event id.
    const done = await doctor.trpc.messages.send.mutate({ conversationId, clientId: "t-2", text: "Done" });
    const doneOf = (c: LiveClient) => c.of("message.posted").find((r) => r.data.message.id === done.id);
    await patientTab.until((c) => doneOf(c) !== undefined, "the message after the notices");
    expect(Number(doneOf(patientTab)!.id)).toBeGreaterThan(Number(lastTracked.id));
    for (const tab of tabs) tab.unsubscribe();
  });
});
