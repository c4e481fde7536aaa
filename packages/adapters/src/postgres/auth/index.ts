/**
 * Sign-in's storage behind the domain's AuthStore port: credentials, sessions, portal invitations
 * and failed attempts, with the narrow pre-clinic look-ups. Hashing and policy live in the API;
 * this stores digests only.
 * @packageDocumentation
 */
export { createPostgresAuthStore } from "./createPostgresAuthStore";
