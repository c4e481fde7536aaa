import { S3Client, S3ServiceException } from "@aws-sdk/client-s3";

/** Where the file bytes live: an S3 bucket on AWS or on an S3-compatible server. */
export interface S3Config {
  /** Base URL of an S3-compatible server; omit for AWS. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Path-style addressing (`host/bucket/key`), which local servers such as s3rver need. */
  readonly forcePathStyle?: boolean;
  /**
   * Server-side encryption requested on every upload (SEC-7). Defaults to `"AES256"`; `null` turns
   * the header off for servers that refuse it.
   */
  readonly serverSideEncryption?: "AES256" | "aws:kms" | null;
}

/** An S3 client for {@link S3Config}, tuned to work with S3-compatible servers as well as AWS. */
export function createS3Client(config: S3Config): S3Client {
  return new S3Client({
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    forcePathStyle: config.forcePathStyle ?? false,
    // Newer SDKs add CRC32 checksums by default, which s3rver and other S3-compatible servers reject,
    // and a presigned URL with a checksum would bind the browser to bytes we do not know up front.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** True when S3 answered 404: the bucket or object does not exist. */
export function isS3NotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
}
