import { beforeEach, describe, expect, it } from "vitest";
import type { MalwareScanner, ScanVerdict } from "../../src/files/ports";
import { fileRules } from "../../src/files/StoredFile";
import {
  auditTrail,
  createWorld,
  dumpJson,
  eventLog,
  patientConversation,
  refused,
  rows,
  uploadFile,
  type World,
} from "./support/world";

/** A scanner that finds "EICAR" in the bytes, and can be made unreachable. */
class FakeScanner implements MalwareScanner {
  reachable = true;
  scanned = 0;
  async scan(content: AsyncIterable<Uint8Array>): Promise<ScanVerdict> {
    if (!this.reachable) throw new Error("scanner unreachable");
    let text = "";
    for await (const part of content) text += new TextDecoder().decode(part);
    this.scanned++;
    return { infected: text.includes("EICAR") };
  }
}

let world: World;
let scanner: FakeScanner;
let conversationId: string;
beforeEach(async () => {
  scanner = new FakeScanner();
  world = await createWorld({ scanner });
  conversationId = await patientConversation(world, world.a.practitioner, world.a.patient);
});

/** What the scan worker does: runs every waiting scan; a failed one is scheduled again. */
async function runScans(): Promise<{ outcomes: string[]; failures: number }> {
  const outcomes: string[] = [];
  let failures = 0;
  for (const scan of world.uow.takeFileScans()) {
    try {
      outcomes.push(await world.chat.scanUploadedFile(scan));
    } catch {
      failures++;
      await world.uow.run(scan.clinicId, (stores) => stores.fileScans.schedule(scan));
    }
  }
  return { outcomes, failures };
}

async function confirmedUpload(fileName: string, content: string) {
  const { a, chat, blobs } = world;
  const upload = await uploadFile(world, a.practitioner, conversationId, { fileName });
  blobs.contents.set(upload.storageKey, new TextEncoder().encode(content));
  const confirmed = await chat.confirmFileUpload(a.practitioner, { fileId: upload.fileId });
  return { ...upload, confirmed };
}

describe("FILE-6 every upload is scanned before anyone else sees it", () => {
  it("FILE-6: a confirmed upload waits in checking: its sender is told, nobody else sees anything", async () => {
    const { a, chat } = world;
    const { fileId, confirmed } = await confirmedUpload("results.pdf", "%PDF-1.4 clean");
    expect(confirmed).toEqual({
      state: "checking",
      conversationId,
      clientId: expect.any(String),
      file: {
        id: fileId,
        name: "results.pdf",
        sizeBytes: expect.any(Number),
        contentType: "application/pdf",
      },
    });
    expect(rows(world).files.get(fileId)).toMatchObject({ state: "checking" });
    expect(await chat.uploadState(a.practitioner, { fileId })).toEqual({ state: "checking" });
    await refused(chat.uploadState(a.patient, { fileId }), "NOT_FOUND");
    expect((await chat.readHistory(a.patient, { conversationId, limit: 10 })).messages).toEqual([]);
    expect((await chat.readHistory(a.practitioner, { conversationId, limit: 10 })).messages).toEqual([]);
    expect((await chat.listConversations(a.patient, { limit: 10 })).totalUnread).toBe(0);
    expect((await eventLog(world, a.clinicId)).filter((e) => e.type === "message.posted")).toEqual([]);
    await refused(chat.downloadFile(a.patient, { fileId }), "NOT_FOUND");
    // Confirming again answers the same, and schedules nothing twice.
    expect(await chat.confirmFileUpload(a.practitioner, { fileId })).toEqual(confirmed);
  });

  it("FILE-6: a clean scan shares the file as the sender's message, audited as the send", async () => {
    const { a, chat } = world;
    const { fileId } = await confirmedUpload("results.pdf", "%PDF-1.4 clean");
    expect(await runScans()).toEqual({ outcomes: ["shared"], failures: 0 });
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages).toHaveLength(1);
    expect(history.messages[0]).toMatchObject({
      sender: a.practitioner.person,
      body: { kind: "file", file: { id: fileId, name: "results.pdf" } },
    });
    const state = await chat.uploadState(a.practitioner, { fileId });
    expect(state).toEqual({ state: "shared", messageId: history.messages[0]?.id });
    const sends = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "message.send");
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({
      action: "message.send",
      outcome: "success",
      actor: a.practitioner.person,
      fileId,
      messageId: history.messages[0]?.id,
    });
    await chat.downloadFile(a.patient, { fileId });
    // The job running again (a retry after a lost answer) changes nothing.
    expect(await chat.scanUploadedFile({ clinicId: a.clinicId, fileId })).toBe("not_waiting");
  });

  it("FILE-6/SEC-3: an infected file is deleted, object and record, the sender told, the refusal audited", async () => {
    const { a, chat, blobs } = world;
    const { fileId, storageKey } = await confirmedUpload("MARKER-VIRUS letter.pdf", "%PDF-1.4 EICAR");
    expect(await runScans()).toEqual({ outcomes: ["refused"], failures: 0 });
    expect(blobs.objects.has(storageKey)).toBe(false);
    expect(rows(world).files.has(fileId)).toBe(false);
    expect(dumpJson(world)).not.toContain("MARKER-VIRUS");
    expect(await chat.uploadState(a.practitioner, { fileId })).toEqual({
      state: "refused",
      reason: "FILE_INFECTED",
    });
    await refused(chat.uploadState(a.patient, { fileId }), "NOT_FOUND");
    expect((await chat.readHistory(a.patient, { conversationId, limit: 10 })).messages).toEqual([]);
    // The reason is kept while the sender may still be waiting on it, then forgotten.
    world.clock.advanceSeconds(fileRules.unconfirmedUploadTtlSeconds - 1);
    await chat.cleanupUnconfirmedUploads(a.clinicId);
    expect(await chat.uploadState(a.practitioner, { fileId })).toMatchObject({ state: "refused" });
    world.clock.advanceSeconds(2);
    await chat.cleanupUnconfirmedUploads(a.clinicId);
    await refused(chat.uploadState(a.practitioner, { fileId }), "NOT_FOUND");
    expect(rows(world).fileRefusals.size).toBe(0);
    const rejections = (await auditTrail(world, a.clinicId)).filter(
      (e) => e.action === "file.upload_rejected",
    );
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({
      action: "file.upload_rejected",
      outcome: "denied",
      reason: "FILE_INFECTED",
      actor: a.practitioner.person,
      fileId,
      conversationId,
    });
  });

  it("FILE-6: while the scanner is unreachable the file waits, is retried, and is never shown; then it is shared", async () => {
    const { a, chat } = world;
    const { fileId } = await confirmedUpload("results.pdf", "%PDF-1.4 clean");
    scanner.reachable = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await runScans()).toEqual({ outcomes: [], failures: 1 });
      expect(rows(world).files.get(fileId)).toMatchObject({ state: "checking" });
      expect((await chat.readHistory(a.patient, { conversationId, limit: 10 })).messages).toEqual([]);
      await refused(chat.downloadFile(a.patient, { fileId }), "NOT_FOUND");
    }
    scanner.reachable = true;
    expect(await runScans()).toEqual({ outcomes: ["shared"], failures: 0 });
    expect((await chat.readHistory(a.patient, { conversationId, limit: 10 })).messages).toHaveLength(1);
  });

  it("FILE-6: a file whose conversation turned read-only while it waited is refused, and the sender told why", async () => {
    const { a, chat } = world;
    const { fileId } = await confirmedUpload("results.pdf", "%PDF-1.4 clean");
    await chat.changeClinicSettings(a.admin, { patientChatEnabled: false });
    expect(await runScans()).toEqual({ outcomes: ["refused"], failures: 0 });
    const state = await chat.uploadState(a.practitioner, { fileId });
    expect(state).toMatchObject({ state: "refused" });
    expect(rows(world).files.has(fileId)).toBe(false);
  });

  it("FILE-6: bytes that fail the checks are refused at confirmation, before any scan", async () => {
    const { a, chat } = world;
    const upload = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "photo.pdf",
      detectedType: "image/png",
    });
    await refused(chat.confirmFileUpload(a.practitioner, { fileId: upload.fileId }), "FILE_TYPE_MISMATCH");
    expect(world.uow.takeFileScans()).toEqual([]);
    expect(scanner.scanned).toBe(0);
    const trail = await auditTrail(world, a.clinicId);
    expect(trail.filter((e) => e.action === "file.upload_rejected")).toHaveLength(1);
  });
});
