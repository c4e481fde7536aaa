import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PresignedUrl } from "@clinic-chat/domain/files";
import { checkUploadedFile, fileRules, inspectionLimits } from "@clinic-chat/domain/files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedS3, startEmbeddedS3 } from "../../src/embedded/embeddedS3";
import { createS3BlobStore, ensureBucket, maxDownloadUrlSeconds, type S3BlobStore } from "../../src/s3/index";
import {
  docxSample,
  elfSample,
  exeSample,
  heicSample,
  htmlSample,
  jpegSample,
  pdfSample,
  pngSample,
  textSample,
  xlsxSample,
} from "./samples";

const webOrigin = "http://localhost:5173";
const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

let directory: string;
let s3: EmbeddedS3;
let store: S3BlobStore;
const extraStores: S3BlobStore[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "clinic-chat-s3-"));
  s3 = await startEmbeddedS3({ directory, bucket: "clinic-files", corsOrigins: [webOrigin] });
  store = createS3BlobStore(s3);
});

afterAll(async () => {
  for (const blobStore of [store, ...extraStores]) blobStore?.destroy();
  await s3?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** A store on the same bucket whose clock says `now`. */
function storeAt(now: Date): S3BlobStore {
  const blobStore = createS3BlobStore(s3, { clock: { now: () => now } });
  extraStores.push(blobStore);
  return blobStore;
}

/** What the browser does with a presigned upload: one PUT with the given headers. */
function upload(presigned: PresignedUrl, body: Uint8Array): Promise<Response> {
  expect(presigned.method).toBe("PUT");
  return fetch(presigned.url, { method: "PUT", headers: presigned.headers, body });
}

async function uploadAs(contentType: string, body: Uint8Array, key = randomUUID()): Promise<string> {
  const presigned = await store.presignUpload(key, {
    sizeBytes: body.length,
    contentType,
    expiresInSeconds: fileRules.uploadUrlSeconds,
  });
  const response = await upload(presigned, body);
  expect(response.status).toBe(200);
  return key;
}

/** `url` percent-decoded until nothing changes, so doubly encoded text shows too. */
function fullyDecoded(url: string): string {
  let current = url;
  for (
    let decoded = decodeURIComponent(current);
    decoded !== current;
    decoded = decodeURIComponent(current)
  ) {
    current = decoded;
  }
  return current;
}

function signedHeaders(url: string): string[] {
  return (new URL(url).searchParams.get("X-Amz-SignedHeaders") ?? "").split(";");
}

describe("S3BlobStore on s3rver", () => {
  it.each([
    ["PDF", "application/pdf", pdfSample(), "scan.pdf"],
    ["PNG", "image/png", pngSample(), "photo.png"],
    ["JPEG", "image/jpeg", jpegSample(), "photo.jpg"],
    ["HEIC (ftyp box only)", "image/heic", heicSample(), "IMG_0001.HEIC"],
  ])(
    "FILE-1: a %s uploaded through its presigned URL is inspected with its real size and type",
    async (_, type, body, name) => {
      const key = await uploadAs(type, body);

      const inspection = await store.inspect(key, inspectionLimits);

      expect(inspection).toEqual({ sizeBytes: body.length, detectedType: type, hidesMarkup: false });
      expect(checkUploadedFile(name, inspection)).toEqual({ allowed: true });
    },
  );

  it.each([
    ["DOCX", docxType, docxSample(), "letter.docx"],
    ["XLSX", xlsxType, xlsxSample(), "sheet.xlsx"],
  ])(
    "FILE-1/FILE-5: a %s is inspected with its type and measured: intact, inflating to its entries' sizes",
    async (_, type, body, name) => {
      const key = await uploadAs(type, body);

      const inspection = await store.inspect(key, inspectionLimits);

      expect(inspection).toEqual({
        sizeBytes: body.length,
        detectedType: type,
        hidesMarkup: false,
        archive: { inflatedBytes: expect.any(Number), intact: true },
      });
      expect(inspection?.archive?.inflatedBytes).toBeGreaterThan(body.length / 4);
      expect(inspection?.archive?.inflatedBytes).toBeLessThan(body.length * 4);
      expect(checkUploadedFile(name, inspection)).toEqual({ allowed: true });
    },
  );

  it("FILE-5: plain text has no signature; inspect reads it whole and finds UTF-8 text without markup", async () => {
    const body = textSample();
    const key = await uploadAs("text/plain", body);

    const inspection = await store.inspect(key, inspectionLimits);

    expect(inspection).toEqual({ sizeBytes: body.length, detectedType: "text/plain" });
    expect(checkUploadedFile("notes.txt", inspection)).toEqual({ allowed: true });
  });

  it("FILE-1: a DOCX whose telling entries come after the first 64 KiB is still detected, reading more of it", async () => {
    const body = docxSample({ leadingThumbnailBytes: 200_000 });
    const key = await uploadAs(docxType, body);

    expect(await store.inspect(key, inspectionLimits)).toMatchObject({
      sizeBytes: body.length,
      detectedType: docxType,
      archive: { intact: true },
    });
  });

  it.each([
    ["ELF executable", elfSample(), "application/x-elf"],
    ["Windows executable", exeSample(), "application/x-msdownload"],
  ])(
    "FILE-1: a %s declared as image/png is detected from its bytes and not allowed",
    async (_, body, detected) => {
      const key = await uploadAs("image/png", body);

      const inspection = await store.inspect(key, inspectionLimits);

      expect(inspection).toEqual({ sizeBytes: body.length, detectedType: detected, hidesMarkup: false });
      expect(checkUploadedFile("photo.png", inspection)).toEqual({
        allowed: false,
        reason: "FILE_TYPE_NOT_ALLOWED",
      });
    },
  );

  it("FILE-5: an HTML page declared as image/png is found to be markup, and refused as such", async () => {
    const body = htmlSample();
    const key = await uploadAs("image/png", body);

    const inspection = await store.inspect(key, inspectionLimits);

    expect(inspection).toEqual({ sizeBytes: body.length, detectedType: "text/html" });
    expect(checkUploadedFile("photo.png", inspection)).toEqual({ allowed: false, reason: "FILE_HAS_MARKUP" });
  });

  it("FILE-1: a body larger than declared is either refused by storage or inspected with its real size, which the domain rejects", async () => {
    const key = randomUUID();
    const presigned = await store.presignUpload(key, {
      sizeBytes: 1024,
      contentType: "application/pdf",
      expiresInSeconds: fileRules.uploadUrlSeconds,
    });
    const body = new Uint8Array(fileRules.maxBytes + 1);
    body.set(pdfSample());

    const response = await upload(presigned, body);
    const inspection = await store.inspect(key, inspectionLimits);

    // Real S3 refuses the PUT (Content-Length is signed); s3rver does not check SigV4 signatures and
    // stores it, so the size read back from storage is what protects the 25 MB limit.
    if (response.ok) {
      // Over the limit nothing is read beyond the sample: the size alone refuses it.
      expect(inspection).toEqual({ sizeBytes: body.length, detectedType: "application/pdf" });
      expect(checkUploadedFile("scan.pdf", inspection)).toMatchObject({
        allowed: false,
        reason: "FILE_TOO_LARGE",
      });
    } else {
      expect(response.status).toBe(403);
      expect(inspection).toBeNull();
    }
  });

  it("FILE-1: the upload URL signs the key, size, type, download name, create-only condition and encryption, for the given lifetime", async () => {
    const now = new Date("2030-01-02T03:04:05Z");
    const key = randomUUID();

    const presigned = await storeAt(now).presignUpload(key, {
      sizeBytes: 1234,
      contentType: "application/pdf",
      expiresInSeconds: 120,
    });

    const url = new URL(presigned.url);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("120");
    expect(url.searchParams.get("X-Amz-Date")).toBe("20300102T030405Z");
    expect(presigned.expiresAt).toEqual(new Date("2030-01-02T03:06:05Z"));
    expect(signedHeaders(presigned.url)).toEqual(
      expect.arrayContaining([
        "content-disposition",
        "content-length",
        "content-type",
        "host",
        "if-none-match",
        "x-amz-server-side-encryption",
      ]),
    );
    expect(presigned.headers).toEqual({
      "Content-Type": "application/pdf",
      "Content-Disposition": "attachment",
      "If-None-Match": "*",
      "x-amz-server-side-encryption": "AES256",
    });
  });

  it("SEC-7: uploads ask for server-side encryption unless the configuration turns it off", async () => {
    const plain = createS3BlobStore({ ...s3, serverSideEncryption: null });
    extraStores.push(plain);
    const upload = { sizeBytes: 10, contentType: "text/plain", expiresInSeconds: 60 };

    const encrypted = await store.presignUpload(randomUUID(), upload);
    const unencrypted = await plain.presignUpload(randomUUID(), upload);

    expect(encrypted.headers["x-amz-server-side-encryption"]).toBe("AES256");
    expect(signedHeaders(encrypted.url)).toContain("x-amz-server-side-encryption");
    expect(unencrypted.headers).not.toHaveProperty("x-amz-server-side-encryption");
    expect(signedHeaders(unencrypted.url)).not.toContain("x-amz-server-side-encryption");
  });

  it("FILE-4: the upload URL names the object by the key it was given and nothing else", async () => {
    const key = `files/${randomUUID()}`;

    const presigned = await store.presignUpload(key, {
      sizeBytes: 10,
      contentType: "application/pdf",
      expiresInSeconds: 60,
    });

    const url = new URL(presigned.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${s3.endpoint}/${s3.bucket}/${key}`);
    const queryNames = [...url.searchParams.keys()].sort();
    expect(queryNames).toEqual(
      [
        "X-Amz-Algorithm",
        "X-Amz-Content-Sha256",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-Signature",
        "X-Amz-SignedHeaders",
        "x-id",
      ].sort(),
    );
  });

  it("FILE-2: inspecting a key nothing was uploaded to gives null", async () => {
    expect(await store.inspect(randomUUID(), inspectionLimits)).toBeNull();
  });

  it("REC-2 FILE-3/SEC-5: storage keeps no file name: the object is served as a nameless attachment, and neither URL carries a name", async () => {
    const body = pdfSample();
    const key = randomUUID();

    const uploadUrl = await store.presignUpload(key, {
      sizeBytes: body.length,
      contentType: "application/pdf",
      expiresInSeconds: 60,
    });
    const uploaded = await upload(uploadUrl, body);
    const presigned = await store.presignDownload(key, {
      contentType: "application/pdf",
      expiresInSeconds: 60,
    });
    const response = await fetch(presigned.url);

    expect(uploaded.status).toBe(200);
    expect(presigned.method).toBe("GET");
    expect(presigned.headers).toEqual({});
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe("attachment");
    expect(new URL(presigned.url).pathname).toBe(`/${s3.bucket}/${key}`);
    for (const url of [presigned.url, uploadUrl.url]) {
      expect(fullyDecoded(url).toLowerCase()).not.toContain("filename");
      const queryNames = [...new URL(url).searchParams.keys()].map((name) => name.toLowerCase());
      expect(queryNames.filter((name) => name.includes("disposition"))).toEqual([]);
    }
    // The upload URL signs the fixed disposition, so an upload cannot ask to be shown inline.
    expect(signedHeaders(uploadUrl.url)).toContain("content-disposition");
    expect(fullyDecoded(presigned.url).toLowerCase()).not.toContain("disposition");
  });

  it("FILE-3: a download URL lives at most five minutes, whatever the caller asks", async () => {
    const now = new Date("2030-01-02T03:04:05Z");

    const presigned = await storeAt(now).presignDownload(randomUUID(), {
      contentType: "application/pdf",
      expiresInSeconds: 3600,
    });

    expect(maxDownloadUrlSeconds).toBe(300);
    expect(new URL(presigned.url).searchParams.get("X-Amz-Expires")).toBe("300");
    expect(presigned.expiresAt).toEqual(new Date(now.getTime() + 300_000));
  });

  it("FILE-3: storage refuses a download URL once it has expired", async () => {
    const key = await uploadAs("application/pdf", pdfSample());
    const signedAt = new Date(Date.now() - 10 * 60_000);

    const presigned = await storeAt(signedAt).presignDownload(key, {
      contentType: "application/pdf",
      expiresInSeconds: 300,
    });
    const response = await fetch(presigned.url);

    expect(presigned.expiresAt.getTime()).toBeLessThan(Date.now());
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Request has expired");
  });

  it("FILE-1: storage refuses an upload URL once it has expired", async () => {
    const key = randomUUID();
    const body = pdfSample();
    const presigned = await storeAt(new Date(Date.now() - 10 * 60_000)).presignUpload(key, {
      sizeBytes: body.length,
      contentType: "application/pdf",
      expiresInSeconds: fileRules.uploadUrlSeconds,
    });

    const response = await upload(presigned, body);

    expect(response.status).toBe(403);
    expect(await store.inspect(key, inspectionLimits)).toBeNull();
  });

  it("DEL-2: remove deletes the stored object for good", async () => {
    const key = await uploadAs("application/pdf", pdfSample());

    await store.remove(key);

    expect(await store.inspect(key, inspectionLimits)).toBeNull();
    const download = await store.presignDownload(key, {
      contentType: "application/pdf",
      expiresInSeconds: 60,
    });
    expect((await fetch(download.url)).status).toBe(404);
  });

  it("DEL-2: removing a key that holds nothing succeeds", async () => {
    await expect(store.remove(randomUUID())).resolves.toBeUndefined();
  });

  it("FILE-1: the bucket lets the web app's origin, and no other, upload from the browser", async () => {
    const presigned = await store.presignUpload(randomUUID(), {
      sizeBytes: 10,
      contentType: "application/pdf",
      expiresInSeconds: 60,
    });
    const preflight = (origin: string) =>
      fetch(presigned.url, {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "PUT",
          "Access-Control-Request-Headers": Object.keys(presigned.headers).join(",").toLowerCase(),
        },
      });

    const allowed = await preflight(webOrigin);
    const foreign = await preflight("https://evil.example");

    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(foreign.status).toBe(403);
  });

  it("FILE-1: without origins, ensureBucket creates the bucket with no CORS, so no browser can upload", async () => {
    const other = { ...s3, bucket: "other-files" };
    await ensureBucket(other, { corsOrigins: [] });
    const otherStore = createS3BlobStore(other);
    extraStores.push(otherStore);
    const presigned = await otherStore.presignUpload(randomUUID(), {
      sizeBytes: 10,
      contentType: "application/pdf",
      expiresInSeconds: 60,
    });

    const preflight = await fetch(presigned.url, {
      method: "OPTIONS",
      headers: { Origin: webOrigin, "Access-Control-Request-Method": "PUT" },
    });
    const upload = await fetch(presigned.url, {
      method: "PUT",
      headers: presigned.headers,
      body: pdfSample(),
    });

    expect(preflight.status).toBe(403);
    expect(upload.status).toBe(200);
  });

  it("FILE-1: ensureBucket is idempotent on an existing bucket", async () => {
    await expect(ensureBucket(s3, { corsOrigins: [webOrigin] })).resolves.toBeUndefined();
    const key = await uploadAs("image/png", pngSample());
    expect(await store.inspect(key, inspectionLimits)).toMatchObject({ detectedType: "image/png" });
  });
});
