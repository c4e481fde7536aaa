import { readFile } from "node:fs/promises";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { renditionKey, renditionNames } from "@clinic-chat/domain/files";
import exifr from "exifr";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ProductBrowser, shareFile, startTestProduct, type TestProduct } from "./support/product";

// FILE-7 and DEL-2 through the whole product (real PostgreSQL, s3rver, sharp, the pg-boss preview
// job): a photo's renditions carry no EXIF or GPS while the original stays as uploaded, both sides
// get them through audited links, and deleting the photo removes every object and its name.

let t: TestProduct;
let doctor: ProductBrowser;
let patient: ProductBrowser;
let conversationId: string;
let s3: S3Client;
let bucket: string;

/** A photo as a phone writes it: JPEG with the place it was taken in its EXIF GPS block. */
async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 180, g: 90, b: 60 } } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: "PhoneCo", Model: "Phone 15" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 51/1 2976/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "2/1 17/1 4020/100",
      },
    })
    .toBuffer();
}

beforeAll(async () => {
  t = await startTestProduct();
  doctor = await t.signInStaff(t.world.a.doctor);
  patient = await t.signInPatient(t.world.a.patient);
  ({
    conversation: { id: conversationId },
  } = await doctor.trpc.conversations.startWithPatient.mutate({ patientId: t.world.a.patient.id }));
  // The embedded s3rver's address, as the product logged it at its start.
  const started = t.logs.map((line) => JSON.parse(line)).find((line) => line.msg === "embedded S3 started");
  s3 = new S3Client({
    endpoint: started.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  // The configuration's default bucket: the test product sets none.
  bucket = "clinic-chat";
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await t?.stop();
});

/** Asks for the renditions until the preview job has made them (it runs after the sharing). */
async function readyPreview(browser: ProductBrowser, fileId: string) {
  return vi.waitFor(
    async () => {
      const preview = await browser.trpc.files.preview.mutate({
        fileId,
        renditions: ["thumbnail", "display"],
      });
      if (preview.state !== "ready") throw new Error(`preview ${preview.state}`);
      return preview;
    },
    { timeout: 30_000, interval: 100 },
  );
}

/** A signed-in browser's live stream (MSG-2), read frame by frame. */
async function openLiveStream(browser: ProductBrowser) {
  const controller = new AbortController();
  const response = await browser.fetch(`${browser.baseUrl}/trpc/live.events`, {
    headers: { ...browser.headers(), accept: "text/event-stream" },
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let readUpTo = 0;
  return {
    close: () => controller.abort(),
    /** The data of the next event that `matches`, waiting for it as it comes. */
    async next(matches: (event: { type: string; [key: string]: unknown }) => boolean) {
      for (;;) {
        const frames = text.slice(readUpTo).split("\n\n");
        for (const frame of frames.slice(0, -1)) {
          readUpTo += frame.length + 2;
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          const event = data ? (JSON.parse(data) as { type?: string }) : null;
          if (event?.type && matches(event as { type: string })) return event as Record<string, unknown>;
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error("the live stream ended");
        text += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}

async function headStatus(key: string): Promise<number> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.$metadata.httpStatusCode ?? 0;
  } catch (error) {
    return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1;
  }
}

describe("FILE-7 previews of a photo", () => {
  const name = "PREVIEW-MARKER beach.jpg";
  let original: Buffer;
  let fileId: string;
  let messageId: string;

  it("FILE-7: the renditions have no EXIF or GPS, the original stays as uploaded, both sides see them", async () => {
    original = await photoWithGps();
    expect(await exifr.gps(original)).toMatchObject({ latitude: expect.closeTo(48.858, 2) });
    const share = await shareFile(doctor, conversationId, {
      name,
      bytes: original,
      contentType: "image/jpeg",
      clientId: "photo-with-gps",
    });
    const message = await share.confirm();
    fileId = share.fileId;
    messageId = message.id;

    for (const browser of [doctor, patient]) {
      const preview = await readyPreview(browser, fileId);
      expect({ width: preview.width, height: preview.height }).toEqual({ width: 1600, height: 1200 });
      for (const rendition of renditionNames) {
        const link = preview.links[rendition];
        // FILE-3: the link names no file, lives at most 5 minutes.
        expect(link.url).not.toContain("PREVIEW-MARKER");
        expect(new Date(link.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
        const response = await browser.fetch(link.url);
        expect(response.status).toBe(200);
        const bytes = Buffer.from(await response.arrayBuffer());
        const meta = await sharp(bytes).metadata();
        expect(meta.format).toBe("webp");
        expect(meta.exif).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
        expect(bytes.includes("Exif")).toBe(false);
        expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(rendition === "thumbnail" ? 480 : 1600);
      }
    }

    // The original is served byte for byte as uploaded, its GPS block included.
    const download = await doctor.trpc.files.download.mutate({ fileId });
    const served = Buffer.from(await (await doctor.fetch(download.url)).arrayBuffer());
    expect(served.equals(original)).toBe(true);
    expect(await exifr.gps(served)).toMatchObject({ longitude: expect.closeTo(2.2945, 2) });

    // FILE-3: every link issued is audited, for both sides.
    const audited = await sql<{ actor_kind: string }>`select actor_kind from audit_log
      where action = 'file.download' and file_id = ${fileId} and outcome = 'success'`.execute(t.owner);
    expect(new Set(audited.rows.map((row) => row.actor_kind))).toEqual(new Set(["staff", "patient"]));
  }, 60_000);

  it("DEL-2: deleting the photo removes the original and every rendition (HEAD 404) and no table holds its name", async () => {
    const stored = await sql<{
      storage_key: string;
    }>`select storage_key from files where id = ${fileId}`.execute(t.owner);
    const storageKey = stored.rows[0]!.storage_key;
    const keys = [storageKey, ...renditionNames.map((rendition) => renditionKey(storageKey, rendition))];
    for (const key of keys) expect(await headStatus(key)).toBe(200);

    await doctor.trpc.messages.delete.mutate({ messageId });

    for (const key of keys) expect(await headStatus(key)).toBe(404);
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.owner);
    for (const { name: table } of tables.rows) {
      const dump = await sql<{ dump: string | null }>`select string_agg(t::text, E'\\n') as dump
        from ${sql.table(table)} t`.execute(t.owner);
      expect(dump.rows[0]?.dump ?? "").not.toContain("PREVIEW-MARKER");
    }
  }, 60_000);

  it("FILE-7: a phone's HEVC-coded HEIC gets thumbnail and display WebP renditions without its EXIF", async () => {
    // An HEVC HEIC with camera make and GPS in its Exif block (see test/fixtures/README.md).
    const heic = await readFile(new URL("./fixtures/phone-photo.heic", import.meta.url));
    const source = await sharp(heic).metadata();
    expect(source.compression).toBe("hevc");
    expect(heic.includes("PhoneCo")).toBe(true);
    const share = await shareFile(patient, conversationId, {
      name: "PREVIEW-MARKER IMG_0042.HEIC",
      bytes: heic,
      contentType: "image/heic",
      clientId: "phone-heic",
    });
    await share.confirm();

    for (const browser of [patient, doctor]) {
      const preview = await readyPreview(browser, share.fileId);
      expect({ width: preview.width, height: preview.height }).toEqual({ width: 1200, height: 900 });
      for (const rendition of renditionNames) {
        const response = await browser.fetch(preview.links[rendition].url);
        expect(response.status).toBe(200);
        const bytes = Buffer.from(await response.arrayBuffer());
        const meta = await sharp(bytes).metadata();
        expect(meta.format).toBe("webp");
        expect(meta.exif).toBeUndefined();
        expect(bytes.includes("Exif")).toBe(false);
        expect(bytes.includes("PhoneCo")).toBe(false);
        expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(rendition === "thumbnail" ? 480 : 1200);
        // The pixels are the photo's, not a blank: the gradient runs dark to light left to right.
        const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
        const red = (x: number) => data[(Math.floor(info.height / 2) * info.width + x) * info.channels]!;
        expect(red(info.width - 2) - red(1)).toBeGreaterThan(150);
      }
    }
  }, 90_000);

  it("FILE-7, FILE-3: the live feed says when a photo's renditions are ready (ids only); asking once then is one audited link", async () => {
    const stream = await openLiveStream(doctor);
    try {
      const share = await shareFile(patient, conversationId, {
        name: "PREVIEW-MARKER knee.jpg",
        bytes: await photoWithGps(),
        contentType: "image/jpeg",
        clientId: "photo-for-live",
      });
      await share.confirm();
      const ready = await stream.next((event) => event.type === "file.preview_ready");
      expect(Object.keys(ready).sort()).toEqual(["at", "conversationId", "type"]);
      expect(ready.conversationId).toBe(conversationId);

      const preview = await doctor.trpc.files.preview.mutate({
        fileId: share.fileId,
        renditions: ["thumbnail"],
      });
      expect(preview.state).toBe("ready");
      const links = await sql<{ n: string }>`select count(*) as n from audit_log
        where action = 'file.download' and file_id = ${share.fileId} and actor_kind = 'staff'`.execute(
        t.owner,
      );
      expect(Number(links.rows[0]!.n)).toBe(1);
    } finally {
      stream.close();
    }
  }, 60_000);

  it("FILE-7: a PDF has no renditions: it opens from the file itself", async () => {
    const { tinyPdf } = await import("./support/product");
    const share = await shareFile(doctor, conversationId, {
      name: "results.pdf",
      bytes: tinyPdf,
      contentType: "application/pdf",
      clientId: "a-pdf",
    });
    await share.confirm();
    const preview = await patient.trpc.files.preview.mutate({
      fileId: share.fileId,
      renditions: ["thumbnail"],
    });
    expect(preview).toEqual({ state: "none" });
  });
});
