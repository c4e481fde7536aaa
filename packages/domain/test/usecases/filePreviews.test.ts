import { beforeEach, describe, expect, it } from "vitest";
import type { ImagePreviewer, RenditionName } from "../../src/files/previews";
import { renditionKey } from "../../src/files/previews";
import {
  createWorld,
  eventLog,
  patientConversation,
  refused,
  rows,
  uploadFile,
  type World,
} from "./support/world";

/** A previewer that "decodes" bytes starting with IMG and makes renditions of the asked sizes. */
class FakePreviewer implements ImagePreviewer {
  readonly asked: { contentType: string; sizes: Record<RenditionName, number> }[] = [];
  async render(original: Uint8Array, contentType: string, sizes: Readonly<Record<RenditionName, number>>) {
    this.asked.push({ contentType, sizes: { ...sizes } });
    if (new TextDecoder().decode(original.slice(0, 3)) !== "IMG") return null;
    const rendition = (pixels: number) => ({
      bytes: new TextEncoder().encode(`webp ${pixels}`),
      width: pixels,
      height: Math.round((pixels * 3) / 4),
    });
    return { thumbnail: rendition(sizes.thumbnail), display: rendition(sizes.display) };
  }
}

let world: World;
let previewer: FakePreviewer;
let conversationId: string;
beforeEach(async () => {
  previewer = new FakePreviewer();
  world = await createWorld({ previewer });
  conversationId = await patientConversation(world, world.a.practitioner, world.a.patient);
});

/** Shares a file whose bytes are `content` (no scanner in this world: shared on confirmation). */
async function share(fileName: string, contentType: string, content: string) {
  const upload = await uploadFile(world, world.a.patient, conversationId, { fileName, contentType });
  world.blobs.contents.set(upload.storageKey, new TextEncoder().encode(content));
  await world.chat.confirmFileUpload(world.a.patient, { fileId: upload.fileId });
  return upload;
}

/** What the preview worker does: runs every waiting preview job. */
async function runPreviews(): Promise<string[]> {
  const outcomes: string[] = [];
  for (const job of world.uow.takeFilePreviews()) outcomes.push(await world.chat.makeFilePreviews(job));
  return outcomes;
}

describe("FILE-7 previews made on the server", () => {
  it("FILE-7: a shared image gets a thumbnail and a display rendition under keys derived from its random key", async () => {
    const { a, chat, blobs } = world;
    const { fileId, storageKey } = await share("rash.jpg", "image/jpeg", "IMG photo");
    expect(await chat.filePreview(a.practitioner, { fileId, renditions: ["thumbnail"] })).toEqual({
      state: "making",
    });
    expect(await runPreviews()).toEqual(["made"]);
    // The conversation's pages hear of it once, ids only, and ask then instead of on a timer.
    const readyEvents = (await eventLog(world, a.clinicId)).filter((e) => e.type === "file.preview_ready");
    expect(readyEvents).toEqual([
      expect.objectContaining({ conversationId, messageId: null, person: null, seq: null }),
    ]);
    expect(previewer.asked).toEqual([
      { contentType: "image/jpeg", sizes: { thumbnail: 480, display: 2048 } },
    ]);
    for (const name of ["thumbnail", "display"] as const) {
      const key = renditionKey(storageKey, name);
      expect(key).not.toContain("rash");
      expect(blobs.objects.get(key)).toMatchObject({ detectedType: "image/webp" });
    }
    for (const reader of [a.practitioner, a.patient]) {
      const preview = await chat.filePreview(reader, { fileId, renditions: ["thumbnail", "display"] });
      expect(preview).toMatchObject({ state: "ready", width: 2048, height: 1536 });
    }
    // FILE-3: issued like a download, short-lived and audited.
    const issued = blobs.downloadUrls.filter((d) => d.key.startsWith(storageKey));
    expect(issued.every((d) => d.expiresInSeconds <= 300)).toBe(true);
    // The job again (a retry after a lost answer) changes nothing.
    await world.uow.run(a.clinicId, (s) => s.filePreviews.schedule({ clinicId: a.clinicId, fileId }));
    expect(await runPreviews()).toEqual(["not_waiting"]);
  });

  it("FILE-7: PDFs and other types get no renditions; an image that does not decode shows as a file card", async () => {
    const { a, chat } = world;
    const pdf = await share("results.pdf", "application/pdf", "%PDF-1.4");
    expect(world.uow.takeFilePreviews()).toEqual([]);
    expect(await chat.filePreview(a.patient, { fileId: pdf.fileId, renditions: ["thumbnail"] })).toEqual({
      state: "none",
    });
    const broken = await share("broken.png", "image/png", "not an image");
    expect(await runPreviews()).toEqual(["failed"]);
    expect(await chat.filePreview(a.patient, { fileId: broken.fileId, renditions: ["thumbnail"] })).toEqual({
      state: "none",
    });
  });

  it("FILE-3: someone outside the conversation cannot get a preview", async () => {
    const { b, chat } = world;
    const { fileId } = await share("rash.jpg", "image/jpeg", "IMG photo");
    await runPreviews();
    await refused(chat.filePreview(b.practitioner, { fileId, renditions: ["thumbnail"] }), "NOT_FOUND");
  });

  it("DEL-2: deleting an image removes the original and every rendition; a file deleted while its previews are made leaves none", async () => {
    const { a, chat, blobs } = world;
    const first = await share("one.jpg", "image/jpeg", "IMG one");
    await runPreviews();
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    await chat.deleteMessage(a.patient, { messageId: history.messages[0]!.id });
    for (const key of [
      first.storageKey,
      renditionKey(first.storageKey, "thumbnail"),
      renditionKey(first.storageKey, "display"),
    ])
      expect(blobs.objects.has(key)).toBe(false);

    const second = await share("two.jpg", "image/jpeg", "IMG two");
    const jobs = world.uow.takeFilePreviews();
    const latest = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    const secondMessage = latest.messages.find(
      (m) => m.body.kind === "file" && m.body.file.id === second.fileId,
    );
    await chat.deleteMessage(a.patient, { messageId: secondMessage!.id });
    for (const job of jobs) expect(await chat.makeFilePreviews(job)).toBe("not_waiting");
    expect([...blobs.objects.keys()].filter((key) => key.startsWith(second.storageKey))).toEqual([]);
  });
});

describe("FILE-8 uploads still being checked", () => {
  it("FILE-8: the sender's checking files are listed for them only, and a cancelled one is gone with its object", async () => {
    const scanning = await createWorld({
      scanner: { scan: async () => ({ infected: false }) },
    });
    const { a, chat, blobs } = scanning;
    const convo = await patientConversation(scanning, a.practitioner, a.patient);
    const upload = await uploadFile(scanning, a.patient, convo, { fileName: "scan.pdf" });
    await chat.confirmFileUpload(a.patient, { fileId: upload.fileId });
    expect(await chat.uploadsInProgress(a.patient, { conversationId: convo })).toEqual([
      {
        fileId: upload.fileId,
        clientId: expect.any(String),
        name: "scan.pdf",
        sizeBytes: expect.any(Number),
      },
    ]);
    expect(await chat.uploadsInProgress(a.practitioner, { conversationId: convo })).toEqual([]);
    await refused(chat.cancelUpload(a.practitioner, { fileId: upload.fileId }), "NOT_FOUND");

    await chat.cancelUpload(a.patient, { fileId: upload.fileId });
    expect(blobs.objects.has(upload.storageKey)).toBe(false);
    expect(rows(scanning).files.has(upload.fileId)).toBe(false);
    expect(await chat.uploadsInProgress(a.patient, { conversationId: convo })).toEqual([]);
    // Its scan job finds nothing waiting.
    for (const scan of scanning.uow.takeFileScans())
      expect(await chat.scanUploadedFile(scan)).toBe("not_waiting");
    expect(JSON.stringify(scanning.uow.dump())).not.toContain("scan.pdf");
  });
});
