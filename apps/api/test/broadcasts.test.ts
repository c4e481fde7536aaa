import { createClinicChat, type Patient } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testUuid } from "./support/fakes";
import { type ProductBrowser, startTestProduct, type TestProduct, tinyPdf } from "./support/product";

// BCAST-1 through the whole product: the API, PostgreSQL, the pg-boss broadcast worker and S3.
// 5,000 patients of one practitioner, one in ten of whom cannot receive messages (ELIG-1).

let t: TestProduct;
let admin: ProductBrowser;
const practitionerId = testUuid("b0ad", 1);
const patients: Patient[] = [];
const ineligible = new Set<string>();

beforeAll(async () => {
  t = await startTestProduct();
  admin = await t.signInStaff(t.world.a.admin);
  const { a } = t.world;
  for (let i = 0; i < 5000; i++) {
    const portalAccount = i % 10 === 0 ? (i % 20 === 0 ? "invited" : "disabled") : "active";
    const patient: Patient = {
      id: testUuid("b0ca", i + 1),
      clinicId: a.clinicId,
      name: `Broadcast Patient ${i}`,
      email: `bp${i}@mail.test`,
      mobilePhone: null,
      smsConsent: false,
      portalAccount,
    };
    patients.push(patient);
    if (portalAccount !== "active") ineligible.add(patient.id);
  }
  await t.product.domain.uow.run(a.clinicId, async (s) => {
    await s.directory.saveStaff({
      ...a.doctor,
      id: practitionerId,
      name: "Bea Broadcast",
      email: "bea@clinic.test",
    });
    await s.directory.savePatients(patients);
  });
  const rows = patients.map((p, i) => ({
    clinic_id: a.clinicId,
    id: testUuid("b0a9", i + 1),
    patient_id: p.id,
    practitioner_id: practitionerId,
    starts_at: new Date(Date.UTC(2031, 0, 1, 9)),
    ends_at: new Date(Date.UTC(2031, 0, 1, 10)),
    status: "scheduled" as const,
  }));
  for (let i = 0; i < rows.length; i += 1000)
    await t.owner
      .insertInto("appointments")
      .values(rows.slice(i, i + 1000))
      .execute();
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const audience = { kind: "practitioner" as const, practitionerId };

async function waitUntilOver(broadcastId: string, timeout = 1_200_000) {
  return vi.waitFor(
    async () => {
      const report = await admin.trpc.broadcasts.report.query({ broadcastId, limit: 1 });
      if (report.broadcast.state !== "done" && report.broadcast.state !== "cancelled")
        throw new Error("still sending");
      return report;
    },
    { timeout, interval: 500 },
  );
}

/** Every recipient line of a report, page by page. */
async function allLines(broadcastId: string, status?: "sent" | "skipped" | "cancelled") {
  const lines = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof admin.trpc.broadcasts.report.query>> =
      await admin.trpc.broadcasts.report.query({
        broadcastId,
        limit: 200,
        cursor,
        ...(status ? { status } : {}),
      });
    lines.push(...page.recipients);
    cursor = page.nextCursor;
  } while (cursor);
  return lines;
}

/** Copies per conversation of a broadcast, as stored. */
async function copies(broadcastId: string) {
  const { rows } = await sql<{ conversation_id: string; n: string }>`select conversation_id, count(*) as n
    from messages where client_id = ${`broadcast-${broadcastId}`} group by conversation_id`.execute(t.owner);
  return rows;
}

describe("BCAST-1 in the product", () => {
  let first: string;

  it("BCAST-1: a broadcast to 5,000 patients, 10% ineligible, reports exactly the skipped ones", async () => {
    const preview = await admin.trpc.broadcasts.preview.mutate({ audience, kind: "text" });
    expect(preview.recipients).toBe(4500);
    expect(new Set(preview.skipped.map((s) => s.patientId))).toEqual(ineligible);
    expect(new Set(preview.skipped.map((s) => s.reason))).toEqual(new Set(["PATIENT_PORTAL_INACTIVE"]));

    const sent = await admin.trpc.broadcasts.send.mutate({
      clientId: "closure-1",
      content: { kind: "text", text: "The clinic is closed on Friday." },
      audience,
      sendAt: null,
    });
    first = sent.id;
    expect(sent.progress).toMatchObject({ waiting: 4500, skipped: 500 });
    const done = await waitUntilOver(first);
    expect(done.broadcast).toMatchObject({
      state: "done",
      progress: { sent: 4500, skipped: 500, waiting: 0, failed: 0 },
    });
    const skipped = await allLines(first, "skipped");
    expect(new Set(skipped.map((l) => l.patientId))).toEqual(ineligible);
    expect(skipped.every((l) => l.reason === "PATIENT_PORTAL_INACTIVE")).toBe(true);
  }, 1_300_000);

  it("BCAST-1: every recipient's conversation holds exactly one copy, also after a turn is tried again", async () => {
    const before = await copies(first);
    expect(before).toHaveLength(4500);
    expect(before.every((r) => Number(r.n) === 1)).toBe(true);
    // A turn tried again after its work committed (a worker died before acknowledging): the
    // recipients read as waiting again and the broadcast as sending.
    await sql`update broadcast_recipients set status = 'waiting' where broadcast_id = ${first}
      and patient_id in (select patient_id from broadcast_recipients where broadcast_id = ${first} and status = 'sent' order by patient_id limit 150)`.execute(
      t.owner,
    );
    await sql`update broadcasts set state = 'sending' where id = ${first}`.execute(t.owner);
    const chat = createClinicChat(t.product.domain);
    // Turn after turn, at the product's pace, until the broadcast is over again.
    for (let turns = 0; turns < 150; turns++) {
      const outcome = await chat.deliverBroadcastTurn({ clinicId: t.world.a.clinicId, broadcastId: first });
      if (outcome !== "served") break;
    }
    const after = await copies(first);
    expect(after).toHaveLength(4500);
    expect(after.every((r) => Number(r.n) === 1)).toBe(true);
    const report = await admin.trpc.broadcasts.report.query({ broadcastId: first, limit: 1 });
    expect(report.broadcast.progress).toMatchObject({ sent: 4500, waiting: 0 });
    // Each recipient has one conversation with the clinic (START-1).
    const { rows } = await sql<{ n: string }>`select count(*) as n from conversations
      where clinic_id = ${t.world.a.clinicId} and key like 'patient:b0ca%'`.execute(t.owner);
    expect(Number(rows[0]!.n)).toBe(4500);
  }, 120_000);

  it("BCAST-1: cancelling mid-way stops it; what went stays", async () => {
    const second = await admin.trpc.broadcasts.send.mutate({
      clientId: "closure-2",
      content: { kind: "text", text: "Flu shots are in." },
      audience,
      sendAt: null,
    });
    await vi.waitFor(
      async () => {
        const r = await admin.trpc.broadcasts.report.query({ broadcastId: second.id, limit: 1 });
        if (r.broadcast.progress.sent === 0) throw new Error("nothing went yet");
      },
      { timeout: 60_000, interval: 100 },
    );
    const cancelled = await admin.trpc.broadcasts.cancel.mutate({ broadcastId: second.id });
    expect(cancelled.state).toBe("cancelled");
    expect(cancelled.progress.waiting).toBe(0);
    expect(cancelled.progress.cancelled).toBeGreaterThan(0);
    // Wait past a few turns' time: nothing more goes.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const later = await admin.trpc.broadcasts.report.query({ broadcastId: second.id, limit: 1 });
    expect(later.broadcast.progress).toEqual(cancelled.progress);
    const stored = await copies(second.id);
    expect(stored).toHaveLength(cancelled.progress.sent);
  }, 120_000);

  it("BCAST-1: a shared file deleted for one recipient stays for the others; the last deletion removes it (DEL-2)", async () => {
    const chosen = patients.filter((p) => !ineligible.has(p.id)).slice(0, 3);
    const request = await admin.trpc.broadcasts.requestFileUpload.mutate({
      fileName: "closure.pdf",
      sizeBytes: tinyPdf.length,
      contentType: "application/pdf",
    });
    const put = await admin.fetch(request.upload.url, {
      method: request.upload.method,
      headers: request.upload.headers,
      body: new Uint8Array(tinyPdf),
    });
    expect(put.ok).toBe(true);
    await admin.trpc.broadcasts.confirmFile.mutate({ fileId: request.fileId });
    const b = await admin.trpc.broadcasts.send.mutate({
      clientId: "file-1",
      content: { kind: "file", fileId: request.fileId },
      audience: { kind: "selection", patientIds: chosen.map((p) => p.id) },
      sendAt: null,
    });
    await waitUntilOver(b.id, 60_000);
    const lines = await allLines(b.id, "sent");
    expect(lines).toHaveLength(3);
    const copiesOf = [];
    for (const line of lines) {
      const history = await admin.trpc.conversations.history.query({
        conversationId: line.conversationId!,
        limit: 5,
      });
      const message = history.messages.find((m) => m.body.kind === "file")!;
      copiesOf.push(message);
    }
    const fileIds = copiesOf.map((m) => (m.body.kind === "file" ? m.body.file.id : ""));
    expect(new Set(fileIds).size).toBe(3);
    const { rows } = await sql<{ keys: string }>`select count(distinct storage_key) as keys from files
      where id = any(${fileIds}::text[])`.execute(t.owner);
    expect(Number(rows[0]!.keys)).toBe(1);
    const downloadable = async (fileId: string) => {
      const link = await admin.trpc.files.download.mutate({ fileId });
      return (await fetch(link.url)).ok;
    };
    await admin.trpc.messages.delete.mutate({ messageId: copiesOf[0]!.id });
    await expect(admin.trpc.files.download.mutate({ fileId: fileIds[0]! })).rejects.toMatchObject({});
    expect(await downloadable(fileIds[1]!)).toBe(true);
    expect(await downloadable(fileIds[2]!)).toBe(true);
    const lastLink = await admin.trpc.files.download.mutate({ fileId: fileIds[2]! });
    await admin.trpc.messages.delete.mutate({ messageId: copiesOf[1]!.id });
    expect(await downloadable(fileIds[2]!)).toBe(true);
    await admin.trpc.messages.delete.mutate({ messageId: copiesOf[2]!.id });
    // The last copy took the object with it.
    expect((await fetch(lastLink.url)).status).toBe(404);
  }, 120_000);
});
