import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkFileName, checkUploadedFile, fileRules, inspectionLimits } from "@clinic-chat/domain/files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedS3, startEmbeddedS3 } from "../../src/embedded/embeddedS3";
import { createS3BlobStore, type S3BlobStore } from "../../src/s3/index";
import { docxBomb, hostileFiles } from "./hostileFiles";

// FILE-5 on the real adapter: what the S3 inspection finds in each hostile file, judged by the
// domain's rules, gives the verdict the corpus expects.

let directory: string;
let s3: EmbeddedS3;
let store: S3BlobStore;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "clinic-chat-hostile-"));
  s3 = await startEmbeddedS3({ directory, bucket: "clinic-files", corsOrigins: [] });
  store = createS3BlobStore(s3);
});

afterAll(async () => {
  store?.destroy();
  await s3?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

async function stored(contentType: string, body: Uint8Array): Promise<string> {
  const key = randomUUID();
  const presigned = await store.presignUpload(key, {
    sizeBytes: body.length,
    contentType,
    expiresInSeconds: fileRules.uploadUrlSeconds,
  });
  const response = await fetch(presigned.url, { method: "PUT", headers: presigned.headers, body });
  expect(response.status).toBe(200);
  return key;
}

describe("FILE-5 hostile files on S3", () => {
  it.each(hostileFiles.map((file) => [file.what, file] as const))(
    "FILE-5: %s → its expected verdict",
    async (_, file) => {
      const body = await file.body();
      const atRequest = checkFileName(file.fileName);
      if (file.refusedAtRequest) {
        expect(atRequest).toEqual({ allowed: false, reason: file.verdict });
        return;
      }
      expect(atRequest).toEqual({ allowed: true });
      const inspection = await store.inspect(await stored(file.contentType, body), inspectionLimits);
      const verdict = checkUploadedFile(file.fileName, inspection);
      if (file.verdict === "accepted") expect(verdict).toEqual({ allowed: true });
      else expect(verdict).toMatchObject({ allowed: false, reason: file.verdict });
    },
    60_000,
  );

  it("FILE-5: the zip bomb is small on disk, and measuring it stops just past the limit", async () => {
    const bomb = await docxBomb(1024);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const honest = await docxBomb(1024 ** 3);
    const inspection = await store.inspect(await stored("application/pdf", honest), inspectionLimits);
    // Refused from the sizes the archive declares (the bomb and the small parts before it).
    expect(inspection?.archive?.intact).toBe(true);
    expect(inspection?.archive?.inflatedBytes).toBeGreaterThan(1024 ** 3);
    expect(inspection?.archive?.inflatedBytes).toBeLessThan(1024 ** 3 + 4096);
    const lying = await store.inspect(await stored("application/pdf", bomb), inspectionLimits);
    expect(lying?.archive).toEqual({ inflatedBytes: 0, intact: false });
  }, 60_000);
});
