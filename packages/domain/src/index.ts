/**
 * Clinic Chat's domain core: the rules of PRODUCT.md as pure policies, the use cases that apply
 * them through ports, and in-memory implementations of those ports for tests and embedding.
 * @packageDocumentation
 */

export type * from "./appointments/Appointment";
export * from "./appointments/appointmentViews";
export * from "./appointments/listAppointments";
export * from "./audit/AuditEvent";
export type * from "./audit/AuditLog";
export * from "./audit/listAuditTrail";
export * from "./chat/addParticipant";
export * from "./chat/Conversation";
export type * from "./chat/ConversationEvent";
export * from "./chat/deleteMessage";
export * from "./chat/deletion";
export * from "./chat/eligibility";
export * from "./chat/listConversations";
export { type ConversationAccess, loadClinic, loadConversationFor } from "./chat/loadConversation";
export * from "./chat/Message";
export * from "./chat/markRead";
export * from "./chat/messageRules";
export * from "./chat/openConversation";
export * from "./chat/patientStartChat";
export type * from "./chat/ports";
export * from "./chat/readHistory";
export * from "./chat/sendMessage";
export * from "./chat/startPatientChat";
export * from "./chat/startTeamChat";
export * from "./chat/views";
export * from "./clinic/Clinic";
export type * from "./clinic/ClinicStore";
export * from "./clinic/changeClinicSettings";
export * from "./clinic/entitlements";
export { type EntitlementView, entitlementView } from "./clinic/entitlementView";
export * from "./createClinicChat";
export * from "./files/cleanupUnconfirmedUploads";
export * from "./files/confirmFileUpload";
export * from "./files/downloadFile";
export * from "./files/fileRules";
export type * from "./files/ports";
export * from "./files/requestFileUpload";
export * from "./files/StoredFile";
export {
  canSeeEvent,
  endsSubscription,
  mayConcern,
  type SeenEvents,
  type Subscriber,
  type SubscriberStanding,
  seenEvents,
  standingOf,
  unknownNewConversations,
} from "./live/subscriberPolicy";
export { conversationsJoinedOf, eventsAfter, subscriberStanding, unreadTotal } from "./live/subscription";
export * from "./notifications/channels";
export * from "./notifications/coalescing";
export * from "./notifications/handleNotificationTimer";
export type * from "./notifications/model";
export type * from "./notifications/ports";
export { type AccountSettings, accountSettings } from "./people/accountSettings";
export * from "./people/availablePractitioners";
export type * from "./people/Directory";
export { type Acting, type ActingAs, findPerson, loadActing, loadPerson } from "./people/loadPerson";
export { offeredToPatients } from "./people/offering";
export * from "./people/patientRecords";
export * from "./people/people";
export * from "./people/searchPeople";
export * from "./people/setAvailability";
export * from "./people/setEmailNotifications";
export { type PortalChatView, portalChatView } from "./portal/portalChatView";
export { type AuditTargets, audited } from "./shared/audited";
export * from "./shared/Decision";
export * from "./shared/DomainError";
export type * from "./shared/deps";
export type * from "./shared/ports";
export type * from "./shared/UnitOfWork";
export { InMemoryUnitOfWork } from "./testing/InMemoryUnitOfWork";
