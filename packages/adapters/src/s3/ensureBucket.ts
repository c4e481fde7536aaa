import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { createS3Client, isS3NotFound, type S3Config } from "./s3Client";

/** Request headers a browser sends with a presigned upload (see `presignUpload`). */
const uploadRequestHeaders = [
  "content-type",
  "content-disposition",
  "if-none-match",
  "x-amz-server-side-encryption",
];

/**
 * Creates the bucket when missing and lets the web app's origins PUT and GET through presigned
 * URLs (FILE-1: bytes go straight between browser and storage). No origins means no CORS at all.
 */
export async function ensureBucket(
  config: S3Config,
  options: { readonly corsOrigins: readonly string[] },
): Promise<void> {
  const client = createS3Client(config);
  const Bucket = config.bucket;
  try {
    if (!(await bucketExists())) {
      try {
        await client.send(
          new CreateBucketCommand({
            Bucket,
            // AWS wants the region spelled out everywhere except its default region.
            ...(config.region === "us-east-1" || config.endpoint !== undefined
              ? {}
              : {
                  CreateBucketConfiguration: {
                    LocationConstraint: config.region as BucketLocationConstraint,
                  },
                }),
          }),
        );
      } catch (error) {
        // Another process created it first.
        if (!(error instanceof S3ServiceException && error.name === "BucketAlreadyOwnedByYou")) throw error;
      }
    }
    if (options.corsOrigins.length === 0) {
      await client.send(new DeleteBucketCorsCommand({ Bucket }));
      return;
    }
    await client.send(
      new PutBucketCorsCommand({
        Bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [...options.corsOrigins],
              AllowedMethods: ["PUT", "GET", "HEAD"],
              AllowedHeaders: uploadRequestHeaders,
              ExposeHeaders: ["ETag", "Content-Disposition"],
              MaxAgeSeconds: 600,
            },
          ],
        },
      }),
    );
  } finally {
    client.destroy();
  }

  async function bucketExists(): Promise<boolean> {
    try {
      await client.send(new HeadBucketCommand({ Bucket }));
      return true;
    } catch (error) {
      if (isS3NotFound(error)) return false;
      throw error;
    }
  }
}
