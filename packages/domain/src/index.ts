/**
 * Clinic Chat's domain core: the rules of PRODUCT.md as pure policies, the use cases that apply
 * them through ports, and in-memory implementations of those ports for tests and embedding.
 * @packageDocumentation
 */

export * from "./audit/AuditEvent";
export type * from "./audit/AuditLog";
export * from "./chat/Conversation";
export type * from "./chat/ConversationEvent";
export * from "./chat/deletion";
export * from "./chat/eligibility";
export * from "./chat/Message";
export * from "./chat/messageRules";
export type * from "./chat/ports";
export * from "./clinic/Clinic";
export type * from "./clinic/ClinicStore";
export * from "./clinic/entitlements";
export * from "./files/fileRules";
export type * from "./files/ports";
export * from "./files/StoredFile";
export type * from "./notifications/model";
export type * from "./notifications/ports";
export type * from "./people/Directory";
export * from "./people/people";
export * from "./shared/Decision";
export * from "./shared/DomainError";
export type * from "./shared/ports";
export type * from "./shared/UnitOfWork";

export { InMemoryUnitOfWork } from "./testing/InMemoryUnitOfWork";
