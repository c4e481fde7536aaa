import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { ensureBucket } from "../s3/ensureBucket";
import type { S3Config } from "../s3/s3Client";

/** The part of s3rver's (untyped, CommonJS) API used here. */
interface S3rver {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  readonly httpServer?: Server;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  vhostBuckets: boolean;
  resetOnClose: boolean;
  allowMismatchedSignatures: boolean;
}) => S3rver;

/** A running embedded S3 server and the settings to reach its bucket. */
export interface EmbeddedS3 extends S3Config {
  readonly endpoint: string;
  readonly forcePathStyle: true;
  /** Stops the server; the data stays in the directory for the next start. */
  stop(): Promise<void>;
}

/** s3rver's built-in account; it knows no other. */
const s3rverCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/**
 * Runs s3rver on 127.0.0.1 with its data under `directory`, for the zero-config default and the
 * adapter tests, and creates `bucket` with CORS for `corsOrigins` (the web app's origins).
 *
 * For one machine only: s3rver checks that a SigV4 request names its access key and has not
 * expired, but does not verify the signature (nor signed Content-Length or Content-Type, nor
 * If-None-Match), does not encrypt objects at rest, and serves unsigned requests. Keep it on
 * loopback, keep `directory` on an encrypted disk, and use real S3 for anything shared.
 */
export async function startEmbeddedS3(options: {
  readonly directory: string;
  /** 0, the default, picks a free port. */
  readonly port?: number;
  /** S3 bucket name rules apply: 3 to 63 lower-case letters, digits, dots and hyphens. */
  readonly bucket: string;
  readonly corsOrigins?: readonly string[];
}): Promise<EmbeddedS3> {
  // The files are PHI at rest: readable by this user only.
  await mkdir(options.directory, { recursive: true, mode: 0o700 });
  const S3rver = createRequire(import.meta.url)("s3rver") as S3rverConstructor;
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    directory: options.directory,
    // s3rver logs every request with its key; our logs stay ours.
    silent: true,
    // Path-style only: the endpoint is an IP address, with no bucket subdomains.
    vhostBuckets: false,
    resetOnClose: false,
    allowMismatchedSignatures: false,
  });
  const address = await server.run();
  const config = {
    endpoint: `http://127.0.0.1:${address.port}`,
    region: "us-east-1",
    bucket: options.bucket,
    ...s3rverCredentials,
    forcePathStyle: true,
  } as const;
  const stop = async (): Promise<void> => {
    const closed = server.close();
    // Keep-alive sockets of S3 clients would otherwise hold the server open until they time out.
    server.httpServer?.closeAllConnections();
    await closed;
  };
  try {
    await ensureBucket(config, { corsOrigins: options.corsOrigins ?? [] });
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...config, stop };
}
