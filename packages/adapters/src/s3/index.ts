/** The S3 adapter: the domain's BlobStore on an S3 bucket, and the bucket's setup. */
export { ensureBucket } from "./ensureBucket";
export { createS3BlobStore, maxDownloadUrlSeconds, type S3BlobStore } from "./S3BlobStore";
export type { S3Config } from "./s3Client";
