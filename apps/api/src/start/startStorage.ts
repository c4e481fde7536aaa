import { resolve } from "node:path";
import { createS3BlobStore, ensureBucket, type S3BlobStore, type S3Config } from "@clinic-chat/adapters";
import type { Logger } from "pino";
import type { Config } from "../config";

/**
 * Object storage for files (FILE-1): the configured S3 endpoint (its bucket made ready for the web
 * app's origin), or an embedded s3rver under the data folder when none is configured. Pushes how
 * to stop what it started onto `stops`.
 */
export async function startStorage(
  config: Config,
  dataDir: string,
  origin: string,
  logger: Logger,
  stops: (() => Promise<void>)[],
): Promise<{ s3: S3Config; blobs: S3BlobStore }> {
  let s3: S3Config;
  if (config.s3.endpoint) {
    s3 = {
      endpoint: config.s3.endpoint,
      region: config.s3.region,
      bucket: config.s3.bucket,
      accessKeyId: config.s3.credentials?.accessKeyId ?? "",
      secretAccessKey: config.s3.credentials?.secretAccessKey ?? "",
      forcePathStyle: true,
    };
    await ensureBucket(s3, { corsOrigins: [origin] });
  } else {
    // Loaded only here: a process configured with real storage never loads the embedded one.
    const { startEmbeddedS3 } = await import("@clinic-chat/adapters/embedded");
    const embedded = await startEmbeddedS3({
      directory: resolve(dataDir, "s3"),
      bucket: config.s3.bucket,
      corsOrigins: [origin],
    });
    stops.push(() => embedded.stop());
    s3 = embedded;
    logger.info({ endpoint: embedded.endpoint }, "embedded S3 started");
  }
  const blobs = createS3BlobStore(s3);
  stops.push(async () => blobs.destroy());
  return { s3, blobs };
}
