import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Message, StoredAuditEvent } from "@clinic-chat/domain";
import { TRPCClientError } from "@trpc/client";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/api";
import { testUuid } from "./support/fakes";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("expected a tRPC error");
  return (error.data as { domainCode?: string; code?: string } | undefined)?.domainCode ?? error.data?.code;
}

/** The reader's own metrics of the 14 standard fonts, which the PDF uses without embedding them. */
const standardFontDataUrl = `${dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"))}/standard_fonts/`;

/** The text of every page, in order, as a PDF reader extracts it. */
async function pdfText(base64: string): Promise<string> {
  const loading = getDocument({ data: new Uint8Array(Buffer.from(base64, "base64")), standardFontDataUrl });
  const pdf = await loading.promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join("\n"));
  }
  await loading.destroy();
  return pages.join("\n");
}

const text = (i: number) => `Visit note ${String(i).padStart(4, "0")} as discussed`;

/**
 * The doctor's conversation with the patient: 2,000 texts posted through the message store (as the
 * posting pipeline stores them), three files shared through the API among them, and some of each
 * deleted through the API (DEL-1).
 */
async function longConversation() {
  const { a } = api.world;
  const doctor = api.clientAs(a.sessionOf(a.doctor));
  const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
  const conversationId = conversation.id;
  const sender = { kind: "staff" as const, id: a.doctor.id };
  const ids: string[] = [];
  const post = async (from: number, to: number) => {
    await api.uow.run(a.clinicId, async (s) => {
      for (let i = from; i < to; i++) {
        const clientId = `bulk-${i}`;
        const [facts] = await s.conversations.reserveForPosting([
          { conversationId, person: sender, clientId, recipientsToNotify: [] },
        ]);
        const message: Message = {
          id: testUuid("b01c", i + 1),
          clinicId: a.clinicId,
          conversationId,
          seq: facts!.conversation!.lastSeq + 1,
          clientId,
          sender,
          sentAt: new Date(api.clock.now().getTime() + i * 60_000),
          body: { kind: "text", text: text(i) },
        };
        await s.messages.post([message]);
        ids.push(message.id);
      }
    });
  };
  const share = async (name: string, sizeBytes: number) => {
    const request = await doctor.files.requestUpload.mutate({
      conversationId,
      clientId: `file-${name}`,
      fileName: name,
      sizeBytes,
      contentType: "application/pdf",
    });
    api.blobs.simulateUpload(request.upload.url, { sizeBytes, detectedType: "application/pdf" });
    const confirmed = await doctor.files.confirmUpload.mutate({ fileId: request.fileId });
    if (confirmed.state !== "shared") throw new Error("not shared");
    return confirmed.message.id;
  };
  await post(0, 700);
  await share("Lab results March.pdf", 2048);
  await post(700, 1400);
  const doomedFile = await share("SECRET-FILE-NAME referral.pdf", 5000);
  await post(1400, 2000);
  await share("Discharge summary.pdf", 3 * 1024 * 1024);
  const deleted = [3, 999, 1500, 1999];
  for (const i of deleted) await doctor.messages.delete.mutate({ messageId: ids[i]! });
  await doctor.messages.delete.mutate({ messageId: doomedFile });
  return { doctor, conversationId, deleted };
}

describe("REC-5 export as a PDF", () => {
  it("REC-5 DEL-3: a 2,000-message conversation's PDF holds every message in order, files by name and size, deleted ones as content-free lines", async () => {
    const { a } = api.world;
    // ADMIN-1: times are written in the clinic's zone.
    await api.uow.run(a.clinicId, async (s) => {
      const clinic = await s.clinics.get(a.clinicId);
      await s.clinics.create({ ...clinic!, timeZone: "America/Chicago" });
    });
    const { doctor, conversationId, deleted } = await longConversation();

    const exported = await doctor.records.exportPdf.query({ conversationId });
    expect(exported.fileName).toBe(`conversation-${conversationId}.pdf`);
    expect(Buffer.from(exported.contentBase64, "base64").subarray(0, 5).toString()).toBe("%PDF-");
    const all = await pdfText(exported.contentBase64);

    expect(all).toContain("Maple Clinic");
    expect(all).toContain("Dora Doctor (practitioner)");
    expect(all).toContain(`${a.patient.name} (patient`);
    // 09:00 UTC on March 2, 2026 is 3:00 AM in Chicago.
    expect(all).toContain("Dora Doctor · Mar 2, 2026, 3:00 AM");
    let last = -1;
    for (let i = 0; i < 2000; i++) {
      const at = all.indexOf(text(i));
      if (deleted.includes(i)) {
        expect(at, `deleted message ${i}`).toBe(-1);
        continue;
      }
      expect(at, `message ${i}`).toBeGreaterThan(last);
      last = at;
    }
    expect(all.indexOf("File: Lab results March.pdf (2.0 KB)")).toBeGreaterThan(all.indexOf(text(699)));
    expect(all.indexOf("File: Lab results March.pdf (2.0 KB)")).toBeLessThan(all.indexOf(text(700)));
    expect(all).toContain("File: Discharge summary.pdf (3.0 MB)");
    expect(all).not.toContain("SECRET-FILE-NAME");
    expect(all.match(/Message deleted/g)).toHaveLength(deleted.length + 1);

    const audit = (api.memory.dump() as { audit: StoredAuditEvent[] }).audit;
    expect(audit.filter((e) => e.action === "conversation.export_pdf")).toEqual([
      expect.objectContaining({
        conversationId,
        actor: { kind: "staff", id: a.doctor.id },
        outcome: "success",
      }),
    ]);
    expect(api.logs.join("\n")).not.toContain("Visit note");
  }, 240_000);

  it("REC-5 ELIG-5: a patient is refused (FORBIDDEN); non-participants and other clinics get NOT_FOUND", async () => {
    const { a, b } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    const conversationId = conversation.id;
    await doctor.messages.send.mutate({ conversationId, clientId: "m-1", text: "hello" });
    const patient = api.clientAs(a.sessionOf(a.patient));
    expect(await codeOf(patient.records.exportPdf.query({ conversationId }))).toBe("FORBIDDEN");
    const nurse = api.clientAs(a.sessionOf(a.nurse));
    expect(await codeOf(nurse.records.exportPdf.query({ conversationId }))).toBe("NOT_FOUND");
    const otherClinic = api.clientAs(b.sessionOf(b.admin));
    expect(await codeOf(otherClinic.records.exportPdf.query({ conversationId }))).toBe("NOT_FOUND");
  });
});
