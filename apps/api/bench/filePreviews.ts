import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { connectPostgres } from "@clinic-chat/adapters";
import { type Actor, createClinicChat } from "@clinic-chat/domain";
import { previewRules } from "@clinic-chat/domain/files";
import sharp from "sharp";
import { startTestClamd } from "../../../packages/adapters/test/support/clamd";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logging";
import { type DemoSeed, seedDemo } from "../src/seed/demoSeed";
import { startProduct } from "../src/start/startProduct";

// FILE-6 and FILE-7 end to end, in the product as `npm start` runs it (embedded PostgreSQL and
// s3rver, pg-boss workers) with a clamd of its own scanning every upload (a signature database
// of one signature, so the figure is the path's cost, not ClamAV's database size):
//
// 1. A 10 MB JPEG: from the sender's confirmation to its thumbnail visible to the other side
//    (the preview answered ready and its thumbnail fetched from storage): scan, share, preview job.
// 2. A 20-page PDF: from confirmation to shared (visible to the other side; it opens in the page
//    from the file itself, so there is no rendition to wait for).
// 3. A burst of 100 phone photos (12 MP) confirmed at once: previews per second until the last
//    thumbnail is ready, beside sharp's own throughput making the same two renditions of the same
//    files in this process at the preview worker's concurrency (the ratio is the path's overhead:
//    scan, storage reads and writes, jobs, database).
// Each of 1 and 2 is the median of BENCH_ROUNDS rounds. Not a test: nothing asserts on time.

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const burst = Number(process.env.BENCH_PHOTOS ?? 100);
/** The preview worker's default concurrency (startFilePreviewWorker). */
const previewConcurrency = 2;

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** A photo with sensor-like noise, so its JPEG is as large as a phone's. */
async function photo(width: number, height: number, seed: number, quality: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[i] = ((i % 3) * 70 + (state >>> 26)) & 0xff;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

/** A real PDF of `pages` pages of text, with a correct cross-reference table. */
function textPdf(pages: number): Buffer {
  const objects: string[] = [];
  const pageIds = Array.from({ length: pages }, (_, i) => 4 + i * 2);
  objects[1] = "<</Type/Catalog/Pages 2 0 R>>";
  objects[2] = `<</Type/Pages/Kids[${pageIds.map((id) => `${id} 0 R`).join(" ")}]/Count ${pages}>>`;
  objects[3] = "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>";
  for (let i = 0; i < pages; i++) {
    const lines = Array.from({ length: 40 }, (_, l) => `(Result line ${l + 1} of page ${i + 1}) Tj T*`).join(
      " ",
    );
    const text = `BT /F1 11 Tf 14 TL 72 740 Td ${lines} ET`;
    objects[pageIds[i]!] =
      `<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 3 0 R>>>>/Contents ${pageIds[i]! + 1} 0 R>>`;
    objects[pageIds[i]! + 1] = `<</Length ${text.length}>>\nstream\n${text}\nendstream`;
  }
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = body.length;
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<</Size ${objects.length}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

async function main(): Promise<void> {
  const clamd = await startTestClamd();
  const dataDir = await mkdtemp(join(tmpdir(), "clinic-chat-preview-bench-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    PUBLIC_URL: "http://127.0.0.1:8080",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
    CLAMD_SOCKET: clamd.socketPath,
  });
  let seed: DemoSeed | null = null;
  const product = await startProduct(config, {
    logger: createLogger({ level: "silent" }),
    beforeListen: async ({ ownerUrl, domain }) => {
      const owner = connectPostgres(ownerUrl, { max: 1 });
      try {
        seed = await seedDemo({ uow: domain.uow, ids: domain.ids, db: owner, now: domain.clock.now() });
      } finally {
        await owner.destroy();
      }
    },
  });
  try {
    const seeded = seed as DemoSeed | null;
    if (!seeded) throw new Error("no seed");
    const chat = createClinicChat(product.domain);
    const doctor = seeded.signIns.find((s) => s.kind === "staff" && s.name === "Alex Morgan")!;
    const patient = seeded.signIns.find((s) => s.kind === "patient" && s.clinicId === doctor.clinicId)!;
    const sender: Actor = {
      clinicId: doctor.clinicId,
      person: { kind: "staff", id: doctor.personId },
      ip: null,
    };
    const reader: Actor = {
      clinicId: patient.clinicId,
      person: { kind: "patient", id: patient.personId },
      ip: null,
    };
    const { conversation } = await chat.startPatientChat(sender, { patientId: patient.personId });
    let clientIds = 0;

    /** Uploads `bytes` as the browser does and returns the file id, not yet confirmed. */
    const upload = async (name: string, bytes: Buffer, contentType: string) => {
      const request = await chat.requestFileUpload(sender, {
        conversationId: conversation.id,
        clientId: `bench-${++clientIds}`,
        fileName: name,
        sizeBytes: bytes.length,
        contentType,
      });
      const put = await fetch(request.upload.url, {
        method: "PUT",
        headers: request.upload.headers,
        body: new Uint8Array(bytes),
      });
      if (!put.ok) throw new Error(`upload refused: ${put.status}`);
      return request.fileId;
    };
    const until = async <T>(ask: () => Promise<T | null>): Promise<T> => {
      for (;;) {
        const answer = await ask();
        if (answer !== null) return answer;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    /** The other side sees the thumbnail: its link issued and its bytes fetched. */
    const thumbnailVisible = (fileId: string) =>
      until(async () => {
        const state = await chat.uploadState(sender, { fileId });
        if (state.state !== "shared") return null;
        const preview = await chat.filePreview(reader, { fileId, renditions: ["thumbnail"] });
        if (preview.state !== "ready") return null;
        const response = await fetch(preview.links.thumbnail.url);
        await response.arrayBuffer();
        return response.ok ? true : null;
      });

    // 1. A 10 MB JPEG.
    const big = await photo(4600, 3450, 7, 97);
    const jpegMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const fileId = await upload("big.jpg", big, "image/jpeg");
      const started = performance.now();
      await chat.confirmFileUpload(sender, { fileId });
      await thumbnailVisible(fileId);
      jpegMs.push(performance.now() - started);
    }

    // 2. A 20-page PDF.
    const pdf = textPdf(20);
    const pdfMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const fileId = await upload("results.pdf", pdf, "application/pdf");
      const started = performance.now();
      await chat.confirmFileUpload(sender, { fileId });
      await until(async () =>
        (await chat.uploadState(sender, { fileId })).state === "shared" ? true : null,
      );
      pdfMs.push(performance.now() - started);
    }

    // 3. A burst of phone photos, then sharp alone on the same files.
    const photos = await Promise.all(Array.from({ length: 10 }, (_, i) => photo(4000, 3000, 100 + i, 85)));
    const files = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        upload(`photo-${i}.jpg`, photos[i % photos.length]!, "image/jpeg"),
      ),
    );
    const burstStart = performance.now();
    await Promise.all(files.map((fileId) => chat.confirmFileUpload(sender, { fileId })));
    await Promise.all(files.map((fileId) => thumbnailVisible(fileId)));
    const burstSeconds = (performance.now() - burstStart) / 1000;

    const sharpStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: previewConcurrency }, async () => {
        while (next < burst) {
          const original = photos[next++ % photos.length]!;
          for (const [pixels, quality] of [
            [previewRules.thumbnailPixels, 70],
            [previewRules.displayPixels, 82],
          ] as const)
            await sharp(original)
              .rotate()
              .resize({ width: pixels, height: pixels, fit: "inside", withoutEnlargement: true })
              .webp({ quality })
              .toBuffer();
        }
      }),
    );
    const sharpSeconds = (performance.now() - sharpStart) / 1000;

    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log("\nFILE-6/FILE-7: scan and preview, from confirmation to visible (clamd on, 2 cores shared)");
    console.table([
      {
        figure: `JPEG ${mb(big.length)}, 4600×3450: confirm → thumbnail visible`,
        median: `${Math.round(median(jpegMs))} ms`,
        rounds: jpegMs.map((ms) => Math.round(ms)).join(" / "),
      },
      {
        figure: `PDF 20 pages (${mb(pdf.length)}): confirm → shared`,
        median: `${Math.round(median(pdfMs))} ms`,
        rounds: pdfMs.map((ms) => Math.round(ms)).join(" / "),
      },
      {
        figure: `burst of ${burst} photos 4000×3000 (~${mb(photos[0]!.length)} each): product`,
        median: `${(burst / burstSeconds).toFixed(1)} previews/s`,
        rounds: `${burstSeconds.toFixed(1)} s`,
      },
      {
        figure: `same files, sharp alone (2 renditions each, concurrency ${previewConcurrency})`,
        median: `${(burst / sharpSeconds).toFixed(1)} previews/s`,
        rounds: `${sharpSeconds.toFixed(1)} s; product/sharp = ${(sharpSeconds / burstSeconds).toFixed(2)}`,
      },
    ]);
  } finally {
    await product.stop();
    await clamd.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
