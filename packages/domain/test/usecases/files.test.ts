import { beforeEach, describe, expect, it } from "vitest";
import { fileRules } from "../../src/files/StoredFile";
import {
  auditTrail,
  clientId,
  createWorld,
  dumpJson,
  eventLog,
  lastAudit,
  patientConversation,
  refused,
  rows,
  sharedMessage,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
let conversationId: string;
beforeEach(async () => {
  world = await createWorld();
  conversationId = await patientConversation(world, world.a.practitioner, world.a.patient);
});

const mb = 1024 * 1024;

describe("FILE-1 checks before and after the upload", () => {
  it("FILE-1: the declared size and type are checked before any upload URL is issued", async () => {
    const { a, chat, blobs } = world;
    const request = (sizeBytes: number, contentType: string) =>
      chat.requestFileUpload(a.practitioner, {
        conversationId,
        clientId: clientId(),
        fileName: "scan.pdf",
        sizeBytes,
        contentType,
      });
    const tooLarge = await refused(request(25 * mb + 1, "application/pdf"), "FILE_TOO_LARGE");
    expect(tooLarge.details).toEqual({ maxBytes: 25 * mb });
    await refused(request(0, "application/pdf"), "FILE_EMPTY");
    await refused(request(1000, "application/x-msdownload"), "FILE_TYPE_NOT_ALLOWED");
    await refused(request(1000, "application/zip"), "FILE_TYPE_NOT_ALLOWED");
    expect(blobs.uploadUrls).toEqual([]);
    expect([...rows(world).files.values()]).toEqual([]);

    for (const type of Object.keys(fileRules.allowedTypes)) {
      await request(25 * mb, type);
    }
    expect(blobs.uploadUrls).toHaveLength(7);
  });

  it("FILE-1/FILE-4: the storage key and upload URL carry no file name; the URL is short-lived", async () => {
    const { a, chat, blobs, clock } = world;
    const fileName = "Harriet_Okonkwo_MARKER-NAME_labs.pdf";
    const { fileId, upload } = await chat.requestFileUpload(a.practitioner, {
      conversationId,
      clientId: clientId(),
      fileName,
      sizeBytes: 5000,
      contentType: "application/pdf",
    });
    const presigned = blobs.uploadUrls[0];
    expect(presigned).toBeDefined();
    const key = presigned?.key ?? "";
    for (const part of ["Harriet", "Okonkwo", "MARKER-NAME", "labs", ".pdf"]) {
      expect(key).not.toContain(part);
      expect(upload.url).not.toContain(part);
      expect(decodeURIComponent(upload.url)).not.toContain(part);
    }
    expect(upload.method).toBe("PUT");
    expect(upload.expiresAt.getTime() - clock.now().getTime()).toBeLessThanOrEqual(300_000);
    const stored = rows(world).files.get(fileId);
    expect(stored).toMatchObject({ storageKey: key, state: "pending", name: fileName });
    expect(key).not.toBe(fileId);
    // Keys are unique per upload, even for the same name.
    const again = await chat.requestFileUpload(a.practitioner, {
      conversationId,
      clientId: clientId(),
      fileName,
      sizeBytes: 5000,
      contentType: "application/pdf",
    });
    expect(rows(world).files.get(again.fileId)?.storageKey).not.toBe(key);
  });

  it("FILE-4: the name is shown as uploaded, without path parts", async () => {
    const { a, chat } = world;
    const { fileId } = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "C:\\fakepath\\Blood test – März.pdf",
    });
    const message = sharedMessage(await chat.confirmFileUpload(a.practitioner, { fileId }));
    expect(message.body).toMatchObject({ kind: "file", file: { name: "Blood test – März.pdf" } });
  });

  it("FILE-1: a file whose bytes are not an allowed type is refused, deleted from storage and from the records", async () => {
    const { a, chat, blobs } = world;
    const { fileId, storageKey } = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "invoice.pdf",
      contentType: "application/pdf",
      detectedType: "application/x-msdownload",
    });
    expect(blobs.objects.has(storageKey)).toBe(true);
    await refused(chat.confirmFileUpload(a.practitioner, { fileId }), "FILE_TYPE_NOT_ALLOWED");
    expect(blobs.objects.has(storageKey)).toBe(false);
    expect(rows(world).files.has(fileId)).toBe(false);
    expect(dumpJson(world)).not.toContain("invoice.pdf");
    // Nothing reached the conversation.
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages).toEqual([]);
    // Confirming again finds nothing.
    await refused(chat.confirmFileUpload(a.practitioner, { fileId }), "NOT_FOUND");
  });

  it("FILE-1/FILE-5: a PDF with no recognisable signature is refused; plain text must be found to be text", async () => {
    const { a, chat } = world;
    const noSignature = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "report.pdf",
      detectedType: null,
    });
    await refused(
      chat.confirmFileUpload(a.practitioner, { fileId: noSignature.fileId }),
      "FILE_TYPE_MISMATCH",
    );
    const binary = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "notes.txt",
      contentType: "text/plain",
      detectedType: null,
    });
    await refused(chat.confirmFileUpload(a.practitioner, { fileId: binary.fileId }), "FILE_TEXT_NOT_PLAIN");
    const text = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "notes.txt",
      contentType: "text/plain",
      detectedType: "text/plain",
    });
    const message = sharedMessage(await chat.confirmFileUpload(a.practitioner, { fileId: text.fileId }));
    expect(message.body).toMatchObject({ kind: "file", file: { contentType: "text/plain" } });
  });

  it("FILE-1: the detected type and size replace the declared ones", async () => {
    const { a, chat } = world;
    const { fileId } = await uploadFile(world, a.patient, conversationId, {
      fileName: "photo.png",
      sizeBytes: 1000,
      contentType: "application/pdf",
      detectedType: "image/png",
      actualBytes: 2048,
    });
    const message = sharedMessage(await chat.confirmFileUpload(a.patient, { fileId }));
    expect(message.body).toEqual({
      kind: "file",
      file: { id: fileId, name: "photo.png", sizeBytes: 2048, contentType: "image/png" },
    });
  });

  it("FILE-5: a PNG named .pdf is refused, deleted, and audited with the reason", async () => {
    const { a, chat, blobs } = world;
    const { fileId, storageKey } = await uploadFile(world, a.patient, conversationId, {
      fileName: "photo.pdf",
      detectedType: "image/png",
    });
    const error = await refused(chat.confirmFileUpload(a.patient, { fileId }), "FILE_TYPE_MISMATCH");
    expect(error.details).toEqual({ expected: "PDF", found: "PNG" });
    expect(blobs.objects.has(storageKey)).toBe(false);
    expect(rows(world).files.has(fileId)).toBe(false);
    expect(await lastAudit(world, a.clinicId)).toMatchObject({
      action: "file.upload_rejected",
      reason: "FILE_TYPE_MISMATCH",
      fileId,
    });
  });

  it("FILE-5: a name ending in a markup or executable extension gets no upload URL", async () => {
    const { a, chat, blobs } = world;
    for (const fileName of ["results.html", "drawing.svg", "run.js", "app.hta", "setup.exe"]) {
      await refused(
        chat.requestFileUpload(a.practitioner, {
          conversationId,
          clientId: clientId(),
          fileName,
          sizeBytes: 1000,
          contentType: "text/plain",
        }),
        "FILE_NAME_REFUSED",
      );
    }
    expect(blobs.uploadUrls).toEqual([]);
    expect([...rows(world).files.values()]).toEqual([]);
  });

  it("FILE-1: a stored object larger than 25 MB is refused and deleted whatever was declared", async () => {
    const { a, chat, blobs } = world;
    const { fileId, storageKey } = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "scan.pdf",
      sizeBytes: 1000,
      actualBytes: 25 * mb + 1,
    });
    await refused(chat.confirmFileUpload(a.practitioner, { fileId }), "FILE_TOO_LARGE");
    expect(blobs.objects.has(storageKey)).toBe(false);
    expect(rows(world).files.has(fileId)).toBe(false);
  });

  it("FILE-1: confirming before anything was uploaded is FILE_NOT_UPLOADED and the upload can still finish", async () => {
    const { a, chat, blobs } = world;
    const { fileId } = await chat.requestFileUpload(a.practitioner, {
      conversationId,
      clientId: clientId(),
      fileName: "later.pdf",
      sizeBytes: 1000,
      contentType: "application/pdf",
    });
    await refused(chat.confirmFileUpload(a.practitioner, { fileId }), "FILE_NOT_UPLOADED");
    expect(rows(world).files.get(fileId)).toMatchObject({ state: "pending" });
    const key = blobs.uploadUrls[0]?.key ?? "";
    blobs.upload(key, { sizeBytes: 1000, detectedType: "application/pdf" });
    const message = sharedMessage(await chat.confirmFileUpload(a.practitioner, { fileId }));
    expect(message.body.kind).toBe("file");
  });

  it("FILE-1: only the uploader confirms their upload; others get NOT_FOUND", async () => {
    const { a, chat } = world;
    const { fileId } = await uploadFile(world, a.practitioner, conversationId, { fileName: "x.pdf" });
    await refused(chat.confirmFileUpload(a.patient, { fileId }), "NOT_FOUND");
    await refused(chat.confirmFileUpload(a.frontDesk, { fileId }), "NOT_FOUND");
    expect(rows(world).files.get(fileId)).toMatchObject({ state: "pending" });
  });
});

describe("FILE-2 visible only once confirmed; unconfirmed uploads cleaned up", () => {
  it("FILE-2: a confirmed file becomes a file message in the recipient's history; before that nothing shows", async () => {
    const { a, chat } = world;
    const { fileId } = await uploadFile(world, a.practitioner, conversationId, { fileName: "results.pdf" });
    expect((await chat.readHistory(a.patient, { conversationId, limit: 10 })).messages).toEqual([]);
    expect((await chat.listConversations(a.patient, { limit: 10 })).totalUnread).toBe(0);
    await refused(chat.downloadFile(a.patient, { fileId }), "NOT_FOUND");
    await refused(chat.downloadFile(a.practitioner, { fileId }), "NOT_FOUND");

    const message = sharedMessage(await chat.confirmFileUpload(a.practitioner, { fileId }));
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages).toHaveLength(1);
    expect(history.messages[0]).toMatchObject({
      id: message.id,
      sender: a.practitioner.person,
      body: { kind: "file", file: { id: fileId, name: "results.pdf", contentType: "application/pdf" } },
    });
    expect((await chat.listConversations(a.patient, { limit: 10 })).totalUnread).toBe(1);
    const url = await chat.downloadFile(a.patient, { fileId });
    expect(url.method).toBe("GET");
  });

  it("FILE-2/MSG-1: confirming twice returns the same message, posted once", async () => {
    const { a, chat } = world;
    const { fileId } = await uploadFile(world, a.patient, conversationId, { fileName: "a.pdf" });
    const first = sharedMessage(await chat.confirmFileUpload(a.patient, { fileId }));
    const second = sharedMessage(await chat.confirmFileUpload(a.patient, { fileId }));
    expect(second).toEqual(first);
    const posted = (await eventLog(world, a.clinicId)).filter((e) => e.type === "message.posted");
    expect(posted.map((e) => e.messageId)).toEqual([first.id]);
    expect((await chat.readHistory(a.practitioner, { conversationId, limit: 10 })).messages).toHaveLength(1);
  });

  it("FILE-2: cleanup removes stale pending uploads and their objects, not fresh or confirmed ones", async () => {
    const { a, chat, blobs, clock } = world;
    const stale = await uploadFile(world, a.practitioner, conversationId, { fileName: "stale.pdf" });
    const neverUploaded = await chat.requestFileUpload(a.practitioner, {
      conversationId,
      clientId: clientId(),
      fileName: "never.pdf",
      sizeBytes: 100,
      contentType: "application/pdf",
    });
    const confirmed = await uploadFile(world, a.practitioner, conversationId, { fileName: "kept.pdf" });
    await chat.confirmFileUpload(a.practitioner, { fileId: confirmed.fileId });
    clock.advanceSeconds(fileRules.unconfirmedUploadTtlSeconds - 600);
    const fresh = await uploadFile(world, a.practitioner, conversationId, { fileName: "fresh.pdf" });
    clock.advanceSeconds(601);

    expect(await chat.cleanupUnconfirmedUploads(a.clinicId)).toBe(2);
    const files = rows(world).files;
    expect(files.has(stale.fileId)).toBe(false);
    expect(files.has(neverUploaded.fileId)).toBe(false);
    expect(blobs.objects.has(stale.storageKey)).toBe(false);
    expect(files.get(confirmed.fileId)).toMatchObject({ state: "ready" });
    expect(blobs.objects.has(confirmed.storageKey)).toBe(true);
    expect(files.get(fresh.fileId)).toMatchObject({ state: "pending" });
    expect(blobs.objects.has(fresh.storageKey)).toBe(true);
    // The confirmed file is still downloadable.
    await chat.downloadFile(a.patient, { fileId: confirmed.fileId });
    // Running again finds nothing more to do until the fresh one goes stale.
    expect(await chat.cleanupUnconfirmedUploads(a.clinicId)).toBe(0);
    clock.advanceSeconds(fileRules.unconfirmedUploadTtlSeconds);
    expect(await chat.cleanupUnconfirmedUploads(a.clinicId)).toBe(1);
    expect(blobs.objects.has(fresh.storageKey)).toBe(false);
  });

  it("FILE-2: cleanup of one clinic leaves the other clinic's uploads alone", async () => {
    const { a, b, chat, blobs, clock } = world;
    const bConversation = await patientConversation(world, b.practitioner, b.patient);
    const bUpload = await uploadFile(world, b.practitioner, bConversation, { fileName: "b.pdf" });
    clock.advanceSeconds(fileRules.unconfirmedUploadTtlSeconds + 1);
    expect(await chat.cleanupUnconfirmedUploads(a.clinicId)).toBe(0);
    expect(blobs.objects.has(bUpload.storageKey)).toBe(true);
    expect(await chat.cleanupUnconfirmedUploads(b.clinicId)).toBe(1);
  });

  it("FILE-2: confirmation after half the cleanup age is FILE_UPLOAD_EXPIRED", async () => {
    const { a, chat, clock } = world;
    const late = await uploadFile(world, a.practitioner, conversationId, { fileName: "late.pdf" });
    const inTime = await uploadFile(world, a.practitioner, conversationId, { fileName: "in-time.pdf" });
    clock.advanceSeconds(fileRules.unconfirmedUploadTtlSeconds / 2);
    await chat.confirmFileUpload(a.practitioner, { fileId: inTime.fileId });
    clock.advanceSeconds(1);
    await refused(chat.confirmFileUpload(a.practitioner, { fileId: late.fileId }), "FILE_UPLOAD_EXPIRED");
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.body.kind === "file" && m.body.file.id)).toEqual([inTime.fileId]);
  });
});

describe("FILE-3 downloads", () => {
  async function sharedFile() {
    const { a, chat } = world;
    const { fileId, storageKey } = await uploadFile(world, a.patient, conversationId, {
      fileName: "MARKER-DL rash.jpg",
      contentType: "image/jpeg",
    });
    await chat.confirmFileUpload(a.patient, { fileId });
    return { fileId, storageKey };
  }

  it("FILE-3: participants get a GET URL for the stored key that expires within 5 minutes", async () => {
    const { a, chat, blobs, clock } = world;
    const { fileId, storageKey } = await sharedFile();
    for (const who of [a.patient, a.practitioner]) {
      const url = await chat.downloadFile(who, { fileId });
      expect(url.method).toBe("GET");
      expect(url.expiresAt.getTime()).toBeGreaterThan(clock.now().getTime());
      expect(url.expiresAt.getTime() - clock.now().getTime()).toBeLessThanOrEqual(300_000);
    }
    expect(blobs.downloadUrls.map((d) => d.key)).toEqual([storageKey, storageKey]);
    expect(blobs.downloadUrls.every((d) => d.expiresInSeconds <= 300)).toBe(true);
  });

  it("REC-1 REC-2 FILE-3/SEC-5: storage is never given the file's name, and no presigned URL carries it", async () => {
    const { a, chat, blobs } = world;
    const { fileId, storageKey } = await sharedFile();

    const url = await chat.downloadFile(a.practitioner, { fileId });

    const given = blobs.uploadUrls.find((u) => u.key === storageKey)?.given;
    expect(given).toEqual({
      sizeBytes: expect.any(Number),
      contentType: "image/jpeg",
      expiresInSeconds: 300,
    });
    expect(blobs.downloadUrls.map((d) => d.key)).toEqual([storageKey]);
    const urls = [
      url.url,
      ...blobs.uploadUrls.map((u) => u.url.url),
      ...blobs.downloadUrls.map((d) => d.url.url),
    ];
    for (const presigned of urls) {
      for (const part of ["MARKER-DL", "rash", ".jpg"]) {
        expect(presigned).not.toContain(part);
        expect(decodeURIComponent(presigned)).not.toContain(part);
      }
    }
  });

  it("FILE-3: non-participants, other clinics and deactivated participants get NOT_FOUND or are refused", async () => {
    const { a, b, chat, blobs } = world;
    const { fileId } = await sharedFile();
    await refused(chat.downloadFile(a.frontDesk, { fileId }), "NOT_FOUND");
    await refused(chat.downloadFile(a.admin, { fileId }), "NOT_FOUND");
    await refused(chat.downloadFile(a.patientEmailOnly, { fileId }), "NOT_FOUND");
    await refused(chat.downloadFile(b.admin, { fileId }), "NOT_FOUND");
    await refused(chat.downloadFile(a.practitioner, { fileId: "id-unknown" }), "NOT_FOUND");
    expect(blobs.downloadUrls).toEqual([]);
  });

  it("FILE-3: every download is audited as file.download, refusals as denied", async () => {
    const { a, chat, clock } = world;
    const { fileId } = await sharedFile();
    clock.advanceSeconds(30);
    await chat.downloadFile(a.practitioner, { fileId });
    expect(await lastAudit(world, a.clinicId)).toMatchObject({
      action: "file.download",
      outcome: "success",
      actor: a.practitioner.person,
      clinicId: a.clinicId,
      fileId,
      conversationId,
      ip: a.practitioner.ip,
      at: clock.now(),
    });
    await refused(chat.downloadFile(a.frontDesk, { fileId }), "NOT_FOUND");
    expect(await lastAudit(world, a.clinicId)).toMatchObject({
      action: "file.download",
      outcome: "denied",
      reason: "NOT_FOUND",
      actor: a.frontDesk.person,
      fileId,
    });
    const downloads = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "file.download");
    expect(downloads).toHaveLength(2);
    expect(JSON.stringify(downloads)).not.toContain("MARKER-DL");
  });
});
