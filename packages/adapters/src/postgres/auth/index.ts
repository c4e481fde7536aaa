/**
 * Sign-in's storage: credentials, sessions, portal invitations and failed attempts, with the
 * narrow pre-clinic look-ups. Hashing and policy live in the API; this stores digests only.
 * @packageDocumentation
 */
export type {
  AttemptKey,
  AuthStore,
  ClinicAuthStores,
  CountedAttempt,
  CredentialStore,
  InvitationLookup,
  InvitationStore,
  NewInvitation,
  NewSession,
  ResolvedSession,
  ResolveSessionOptions,
  SessionLookup,
  SessionStore,
  Sha256,
  SignInCandidate,
  StoredCredentials,
} from "./AuthStore";
export { createPostgresAuthStore } from "./createPostgresAuthStore";
