import type { Generated, GeneratedAlways } from "kysely";
import type { Int8, PersonKind } from "./Database";

// Sign-in's tables (credentials, sessions, invitations, resets, failures), kept beside the others in
// the one Database interface.

/** One person's sign-in: argon2id password hash, TOTP and hashed one-time recovery codes (SEC-1). */
export interface AuthCredentialsTable {
  clinic_id: string;
  person_kind: PersonKind;
  person_id: string;
  staff_id: GeneratedAlways<string | null>;
  patient_id: GeneratedAlways<string | null>;
  login_email: string;
  password_hash: string;
  password_set_at: Date;
  /** Base32; set while enrolment is pending and after it. */
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  /** The last TOTP time step accepted: a code is good once (no replay). */
  totp_last_step: Int8 | null;
  recovery_code_hashes: Generated<string[]>;
  /** When the pending TOTP secret was issued (ACC-4: kept until confirmed or run out). */
  totp_started_at: Date | null;
}

/** Sessions by the SHA-256 of their cookie's token, never the token (SEC-2). */
export interface AuthSessionsTable {
  token_hash: Uint8Array;
  clinic_id: string;
  person_kind: PersonKind;
  person_id: string;
  staff_id: GeneratedAlways<string | null>;
  patient_id: GeneratedAlways<string | null>;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  /** SEC-3: the absolute expiry is in the audit trail (written by the session check only). */
  expiry_audited: Generated<boolean>;
}

/** Patient Portal invitations by the SHA-256 of their link's token (ELIG-1). */
export interface PortalInvitationsTable {
  token_hash: Uint8Array;
  clinic_id: string;
  patient_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Password reset links (ACC-1), by the SHA-256 of their token. */
export interface PasswordResetsTable {
  token_hash: Uint8Array;
  clinic_id: string;
  person_kind: PersonKind;
  person_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** ADMIN-2: invitations of staff; `token_hash` is the SHA-256 of the link's token. */
export interface StaffInvitationsTable {
  clinic_id: string;
  id: string;
  token_hash: Uint8Array;
  email: string;
  role: "admin" | "practitioner" | "staff";
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Failed sign-ins for rate limiting; `key` is a SHA-256 of "email:…" or "ip:…". Not per clinic. */
export interface SignInFailuresTable {
  id: GeneratedAlways<string>;
  key: Uint8Array;
  at: Date;
}
