import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Clock } from "@clinic-chat/domain";
import type { BlobInspection, BlobStore, PresignedUrl } from "@clinic-chat/domain/files";
import { inspectObject } from "./inspectObject";
import { createS3Client, isS3NotFound, type S3Config } from "./s3Client";

/** FILE-3: a download URL never lives longer than five minutes, whatever the caller asks. */
export const maxDownloadUrlSeconds = 300;

/**
 * Every object is stored as a nameless attachment: no file name reaches storage (REC-1, REC-2), and
 * `attachment` rather than `inline` keeps a browser from rendering an uploaded file in our origin.
 */
const contentDisposition = "attachment";

/** A {@link BlobStore} on S3 that also owns its client. */
export interface S3BlobStore extends BlobStore {
  /** Closes the client's idle connections, on shutdown. */
  destroy(): void;
}

/**
 * The domain's {@link BlobStore} on an S3 bucket: presigned URLs move the bytes between the browser
 * and the bucket (FILE-1), and uploads are checked from the stored bytes.
 */
export function createS3BlobStore(config: S3Config, options: { readonly clock?: Clock } = {}): S3BlobStore {
  const client = createS3Client(config);
  const clock = options.clock ?? { now: () => new Date() };
  const { bucket } = config;
  const serverSideEncryption =
    config.serverSideEncryption === undefined ? "AES256" : config.serverSideEncryption;

  return {
    async presignUpload(key, upload): Promise<PresignedUrl> {
      const signedAt = clock.now();
      const expiresIn = urlLifetime(upload.expiresInSeconds);
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentLength: upload.sizeBytes,
        ContentType: upload.contentType,
        ContentDisposition: contentDisposition,
        // S3 refuses a second PUT of the key, so the checked object cannot be swapped afterwards
        // with the same still-valid URL.
        IfNoneMatch: "*",
        ...(serverSideEncryption === null ? {} : { ServerSideEncryption: serverSideEncryption }),
      });
      const url = await getSignedUrl(client, command, {
        expiresIn,
        signingDate: signedAt,
        // The presigner leaves Content-Type unsigned by default; signing it and Content-Length makes
        // S3 refuse a body of another size or type than the one declared. Signing Content-Disposition
        // makes it refuse an upload that asks to be shown inline or under a name.
        signableHeaders: new Set(["content-type", "content-length", "content-disposition"]),
      });
      // Content-Length is not listed: browsers derive it from the body and refuse to set it.
      const headers: Record<string, string> = {
        "Content-Type": upload.contentType,
        "Content-Disposition": contentDisposition,
        "If-None-Match": "*",
      };
      if (serverSideEncryption !== null) headers["x-amz-server-side-encryption"] = serverSideEncryption;
      return { url, method: "PUT", headers, expiresAt: expiry(signedAt, expiresIn) };
    },

    async presignDownload(key, download): Promise<PresignedUrl> {
      const signedAt = clock.now();
      const expiresIn = Math.min(urlLifetime(download.expiresInSeconds), maxDownloadUrlSeconds);
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentType: download.contentType,
      });
      const url = await getSignedUrl(client, command, { expiresIn, signingDate: signedAt });
      return { url, method: "GET", headers: {}, expiresAt: expiry(signedAt, expiresIn) };
    },

    async inspect(key, limits): Promise<BlobInspection | null> {
      const sizeBytes = await objectSize(client, bucket, key);
      if (sizeBytes === null) return null;
      try {
        return await inspectObject(
          sizeBytes,
          (start, end) => readRange(client, bucket, key, start, end),
          limits,
        );
      } catch (error) {
        // Deleted between the two requests: nothing is there any more.
        if (isS3NotFound(error)) return null;
        throw error;
      }
    },

    async read(key): Promise<AsyncIterable<Uint8Array> | null> {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        // In Node the SDK's body is a Readable stream, which iterates its chunks.
        return (object.Body as AsyncIterable<Uint8Array> | undefined) ?? emptyContent();
      } catch (error) {
        if (isS3NotFound(error)) return null;
        throw error;
      }
    },

    async write(key, bytes, contentType): Promise<void> {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }),
      );
    },

    async remove(key): Promise<void> {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        // S3 answers 204 for a missing key; some compatible servers answer 404.
        if (!isS3NotFound(error)) throw error;
      }
    },

    destroy(): void {
      client.destroy();
    },
  };
}

async function* emptyContent(): AsyncIterable<Uint8Array> {}

/** A URL lifetime in whole seconds, at least one (SigV4 counts in seconds). */
function urlLifetime(seconds: number): number {
  if (!Number.isFinite(seconds)) throw new RangeError("URL lifetime must be a finite number of seconds");
  return Math.max(1, Math.floor(seconds));
}

function expiry(signedAt: Date, expiresInSeconds: number): Date {
  return new Date(signedAt.getTime() + expiresInSeconds * 1000);
}

async function objectSize(client: S3Client, bucket: string, key: string): Promise<number | null> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ContentLength ?? 0;
  } catch (error) {
    if (isS3NotFound(error)) return null;
    throw error;
  }
}

/** Bytes `start` up to, not including, `end`: a ranged GET, so only the sample travels. */
async function readRange(
  client: S3Client,
  bucket: string,
  key: string,
  start: number,
  end: number,
): Promise<Uint8Array> {
  const object = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
  );
  if (!object.Body) return new Uint8Array(0);
  const bytes = await object.Body.transformToByteArray();
  // A server that ignores Range answers with the whole object; keep only the part asked for.
  return object.ContentRange === undefined ? bytes.subarray(start, end) : bytes;
}
