import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testUuid } from "./support/fakes";
import {
  type ProductBrowser,
  readableEmail,
  refusalOf,
  shareFile,
  startTestProduct,
  type TestProduct,
  tinyPdf,
} from "./support/product";
import { phi, phiMarkers } from "./support/world";

let t: TestProduct;
beforeAll(async () => {
  t = await startTestProduct();
});
afterAll(async () => {
  await t?.stop();
});

/** Every file under `dir`, recursively, with its content as text. */
async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const path = join(e.parentPath, e.name);
        return { path, text: await readFile(path, "latin1") };
      }),
  );
}

/** Every http(s) URL written anywhere in `text`, as written and decoded. */
function urlsIn(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s"'<>\\]+/g) ?? [];
  return found.flatMap((url) => [url, safeDecode(url)]);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The markers found in `text` (also after percent-decoding it). */
function markersIn(text: string): string[] {
  const decoded = safeDecode(text);
  return phiMarkers.filter((marker) => text.includes(marker) || decoded.includes(marker));
}

describe("SEC-5 NOTIF-4: planted PHI never reaches a log line, a URL, an error body or an email", () => {
  it("SEC-5 NOTIF-4 FILE-4 DEL-2: a whole conversation with a file, a download, notifications and deletions leaks none of the markers", async () => {
    const { a } = t.world;
    expect(a.patient.name).toContain(phi.patientMarker);
    const admin = await t.signInStaff(a.admin);
    const doctor = await t.signInStaff(a.doctor);
    const patient = await t.signInPatient(a.patient);
    const browsers: ProductBrowser[] = [admin, doctor, patient];
    await admin.trpc.clinic.changeSettings.mutate({ notificationDelaySeconds: 30 });
    // Below what an admin may choose (NOTIF-1), written directly so this test's emails go at once.
    await t.owner
      .updateTable("clinics")
      .set({ notification_delay_seconds: 0 })
      .where("id", "=", a.clinicId)
      .execute();

    // The doctor finds the patient by name, starts the chat, writes and shares a file.
    const found = await doctor.trpc.people.search.mutate({
      kind: "patient",
      query: phi.patientMarker,
      limit: 5,
    });
    expect(found.map((r) => r.person.id)).toContain(a.patient.id);
    await doctor.trpc.patients.get.query({ patientId: a.patient.id });
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    const conversationId = conversation.id;
    const text = await doctor.trpc.messages.send.mutate({
      conversationId,
      clientId: "t-1",
      text: phi.messageText,
    });
    const shared = await shareFile(doctor, conversationId, {
      name: phi.fileName,
      bytes: tinyPdf,
      contentType: "application/pdf",
      clientId: "f-1",
    });
    const fileMessage = await shared.confirm();
    expect(fileMessage.body).toMatchObject({ kind: "file", file: { name: phi.fileName } });

    // NOTIF-1/NOTIF-3: the patient is emailed (delay 0, the real worker), before reading anything.
    const toPatient = await t.waitForMail((mail) => mail.text.includes(`To: ${a.patient.email}`));
    expect(toPatient.text).toContain("Maple Clinic");

    // The patient reads, downloads the file straight from object storage, and replies.
    const history = await patient.trpc.conversations.history.query({ conversationId, limit: 20 });
    expect(history.messages.map((m) => m.body.kind).sort()).toEqual(["file", "text"]);
    const link = await patient.trpc.files.download.mutate({ fileId: shared.fileId });
    const download = await patient.fetch(link.url, { method: link.method, headers: link.headers });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(tinyPdf);
    const reply = await patient.trpc.messages.send.mutate({
      conversationId,
      clientId: "r-1",
      text: `Thanks, ${phi.messageText}?`,
    });
    const toDoctor = await t.waitForMail((mail) => mail.text.includes(`To: ${a.doctor.email}`));
    expect(toDoctor.text).toContain("Maple Clinic");
    await patient.trpc.conversations.markRead.mutate({ conversationId, upToSeq: reply.seq });

    // Refusals about things that carry the markers.
    const refusals = [
      await refusalOf(
        doctor.trpc.messages.send.mutate({
          conversationId,
          clientId: "t-long",
          text: `${phi.messageText} ${"x".repeat(4100)}`,
        }),
      ),
      await refusalOf(
        doctor.trpc.files.requestUpload.mutate({
          conversationId,
          clientId: "f-exe",
          fileName: `${phi.fileMarker}.exe`,
          sizeBytes: 10,
          contentType: "application/x-msdownload",
        }),
      ),
      await refusalOf(
        shareFile(doctor, conversationId, {
          name: phi.fileName,
          bytes: Buffer.from(`${phi.messageText} is not a PDF`),
          contentType: "application/pdf",
          clientId: "f-fake",
        }).then((fake) => fake.confirm()),
      ),
      await refusalOf(
        doctor.trpc.people.search.mutate({ kind: "patient", query: phi.patientMarker, limit: 5000 }),
      ),
      await refusalOf(doctor.trpc.patients.get.query({ patientId: testUuid("0000dead", 9) })),
    ];
    expect(refusals.map((r) => r.code)).toEqual([
      "BAD_REQUEST",
      "UNSUPPORTED_MEDIA_TYPE",
      "UNSUPPORTED_MEDIA_TYPE",
      "BAD_REQUEST",
      "NOT_FOUND",
    ]);

    // DEL-2: everyone deletes what they sent; the stored object goes with the file.
    await doctor.trpc.messages.delete.mutate({ messageId: fileMessage.id });
    await doctor.trpc.messages.delete.mutate({ messageId: text.id });
    await patient.trpc.messages.delete.mutate({ messageId: reply.id });
    expect(await refusalOf(patient.trpc.files.download.mutate({ fileId: shared.fileId }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await patient.fetch(link.url, { method: link.method })).status).toBe(404);
    const after = await patient.trpc.conversations.history.query({ conversationId, limit: 20 });
    expect(after.messages.every((m) => m.body.kind === "deleted")).toBe(true);

    // The positive control: the markers did travel where they belong (bodies for the people in
    // the conversation), so a leak would be caught.
    const successes = browsers.flatMap((b) => b.exchanges).filter((e) => e.status < 400);
    expect(successes.some((e) => e.body.includes(phi.textMarker))).toBe(true);
    expect(successes.some((e) => e.body.includes(phi.fileMarker))).toBe(true);
    expect(successes.some((e) => e.body.includes(phi.patientMarker))).toBe(true);

    const leaks: string[] = [];
    const check = (where: string, value: string) => {
      const markers = markersIn(value);
      if (markers.length > 0) leaks.push(`${where}: ${markers.join(", ")} in ${value.slice(0, 300)}`);
    };
    // Every log line the product wrote.
    expect(t.logs.length).toBeGreaterThan(20);
    for (const line of t.logs) check("log", line);
    // Every URL requested, and every URL received in a body (presigned uploads and downloads too).
    const exchanges = browsers.flatMap((b) => b.exchanges);
    const requested = exchanges.map((e) => e.url);
    expect(requested.some((url) => url.includes("X-Amz-Signature") && !url.includes("/trpc/"))).toBe(true);
    for (const url of requested) check("requested URL", url);
    for (const exchange of exchanges) for (const url of urlsIn(exchange.body)) check("received URL", url);
    // Every error body.
    const errors = exchanges.filter((e) => e.status >= 400);
    expect(errors.length).toBeGreaterThanOrEqual(refusals.length);
    for (const error of errors) check(`error body of ${error.url.split("?")[0]}`, error.body);
    // Every email, raw and decoded.
    const mails = await t.mails();
    expect(mails.length).toBeGreaterThanOrEqual(2);
    for (const mail of mails) {
      check(`email ${mail.name}`, mail.raw);
      check(`email ${mail.name} (decoded)`, readableEmail(mail.raw));
    }
    // DEL-2: and nothing of the deleted messages and file in the database or object storage.
    const stored = await t.owner
      .selectFrom("messages")
      .leftJoin("files", "files.id", "messages.file_id")
      .select(["messages.text", "files.name"])
      .where("messages.conversation_id", "=", conversationId)
      .execute();
    for (const row of stored) check("database", JSON.stringify(row));
    const fileRows = await t.owner.selectFrom("files").select("name").execute();
    for (const row of fileRows) check("database files", row.name ?? "");
    for (const file of await filesUnder(join(t.dataDir, "s3")))
      check(`object storage ${file.path}`, file.text);
    expect(leaks).toEqual([]);
  });
});
