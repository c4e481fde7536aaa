import type { Generated } from "kysely";

/** INTEG-1: an API credential of a clinic; only the SHA-256 of its secret is kept. */
export interface ApiCredentialsTable {
  clinic_id: string;
  id: string;
  name: string;
  secret_digest: Buffer;
  created_at: Date;
  created_by: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** INTEG-1: the minute whose calls `calls_in_window` counts. */
  calls_window_start: Date | null;
  calls_in_window: Generated<number>;
}
