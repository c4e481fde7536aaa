/**
 * Clinic Chat's domain core: the rules of PRODUCT.md as pure policies, the use cases that apply
 * them through ports, and the ports' types. Test doubles of the ports are `@clinic-chat/domain/testing`.
 * @packageDocumentation
 */

export type { Appointment, AppointmentStore } from "./appointments/Appointment";
export { type AppointmentView, appointmentViews } from "./appointments/appointmentViews";
export {
  type AppointmentTimes,
  appointmentFutureDays,
  appointmentMinutes,
  appointmentPastDays,
  bookAppointment,
  cancelAppointment,
  moveAppointment,
} from "./appointments/bookAppointments";
export {
  appointmentDetails,
  listAppointments,
  maxAppointmentRangeDays,
} from "./appointments/listAppointments";
export {
  type AuditAction,
  type AuditEvent,
  type AuditOutcome,
  auditActions,
  type StoredAuditEvent,
} from "./audit/AuditEvent";
export type { AuditConversation, AuditFile, AuditLog, AuditQuery } from "./audit/AuditLog";
export { type AuditTerms, auditSentence, auditSentences } from "./audit/auditSentences";
export {
  type AuditEntry,
  type AuditFilters,
  type AuditTrailPage,
  exportAuditTrail,
  listAuditTrail,
  maxAuditExport,
} from "./audit/listAuditTrail";
export type {
  AttemptKey,
  AuthStore,
  ClinicAuthStores,
  CountedAttempt,
  CredentialStore,
  InvitationLookup,
  InvitationStore,
  NewInvitation,
  NewPasswordReset,
  NewSession,
  PasswordResetLookup,
  PasswordResetStore,
  ResolvedSession,
  ResolveSessionOptions,
  SessionLookup,
  SessionStore,
  Sha256,
  SignInCandidate,
  StoredCredentials,
} from "./auth/AuthStore";
export { addParticipant } from "./chat/addParticipant";
export {
  type Conversation,
  type ConversationSummary,
  type Participant,
  patientConversationKey,
} from "./chat/Conversation";
export type {
  ConversationEvent,
  ConversationEventType,
  NewConversationEvent,
} from "./chat/ConversationEvent";
export {
  canRenameConversation,
  conversationNameOf,
  maxConversationNameLength,
} from "./chat/conversationName";
export { deleteMessage } from "./chat/deleteMessage";
export { canDeleteMessage } from "./chat/deletion";
export { listConversations, maxConversationPage } from "./chat/listConversations";
export { type ConversationAccess, loadConversationFor } from "./chat/loadConversation";
export { type Message, type MessageBody, messageTextLimits } from "./chat/Message";
export { markRead } from "./chat/markRead";
export { type ConversationDetails, openConversation } from "./chat/openConversation";
export { patientStartChat } from "./chat/patientStartChat";
export type {
  ConversationAccessFacts,
  ConversationListQuery,
  ConversationStanding,
  ConversationStore,
  EventLog,
  HistoryQuery,
  MessageStore,
  OpenedConversation,
  PatientConversationOpening,
  PostingFacts,
  PostingRequest,
  RecipientState,
} from "./chat/ports";
export {
  type HistoryPage,
  type HistoryRead,
  type HistoryReadResult,
  maxHistoryPage,
  readHistories,
  readHistory,
} from "./chat/readHistory";
export { renameConversation } from "./chat/renameConversation";
export {
  type SendInput,
  type SendMessagesOptions,
  type SendOutcome,
  type SendRequest,
  sendMessage,
  sendMessages,
} from "./chat/sendMessage";
export { startPatientChat } from "./chat/startPatientChat";
export { maxTeamChatMembers, startTeamChat } from "./chat/startTeamChat";
export type {
  FileView,
  MessageView,
} from "./chat/views";
export {
  type Clinic,
  type ClinicSettings,
  defaultSettings,
  isTimeZone,
  type Plan,
  plans,
  settingLimits,
} from "./clinic/Clinic";
export type { ClinicStore } from "./clinic/ClinicStore";
export { changeClinicPlan, changeClinicSettings } from "./clinic/changeClinicSettings";
export {
  type Capability,
  capabilities,
  type Entitlements,
  entitlementsFor,
  minimumPlan,
  type SettingsChange,
} from "./clinic/entitlements";
export { type EntitlementView, entitlementView } from "./clinic/entitlementView";
export { loadClinic } from "./clinic/loadClinic";
export {
  clinicNameMaxLength,
  clinicNameProblem,
  createClinic,
  type NewClinic,
  setClinicPlan,
} from "./clinic/operateClinics";
export { type ClinicChat, createClinicChat } from "./createClinicChat";
export {
  type EmergencyAccessStore,
  type EmergencyGrant,
  emergencyAccessMinutes,
  maxEmergencyReasonLength,
} from "./emergency/EmergencyAccess";
export type {
  EmergencyNotice,
  EmergencyStanding,
} from "./emergency/emergencyUseCases";
export {
  type ConversationRecord,
  type ExportedFile,
  exportConversation,
} from "./export/exportConversation";
export { defaultStreamsPerSession, mayOpenStream } from "./live/streamLimit";
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
export {
  mayAnnounceTyping,
  receivesTyping,
  type TypingNotice,
  type TypingRefusal,
  typingFloorMs,
  typingRepeatMs,
  typingShownMs,
  typingTooSoon,
} from "./live/typing";
export { notificationChannels, notificationPayload } from "./notifications/channels";
export { nextNotificationStep } from "./notifications/coalescing";
export { handleNotificationTimer, type TimerOutcome } from "./notifications/handleNotificationTimer";
export type {
  BurstLeaving,
  NotificationAction,
  NotificationCause,
  NotificationChannel,
  NotificationContext,
  NotificationDelivery,
  NotificationEvent,
  NotificationPayload,
  NotificationRecipient,
  NotificationState,
  NotificationStep,
  NotificationTimer,
  PendingMessage,
} from "./notifications/model";
export type { EmailSender, NotificationQueue, NotificationStore, SmsSender } from "./notifications/ports";
export { type AccountSettings, accountSettings } from "./people/accountSettings";
export { availablePractitioners } from "./people/availablePractitioners";
export type { Directory, DirectoryMatch } from "./people/Directory";
export {
  type Acting,
  type ActingAs,
  findPerson,
  loadActing,
} from "./people/loadPerson";
export { offeredToPatients } from "./people/offering";
export { canAct, type ParticipantFacts, type Person } from "./people/Person";
export { listPatients, type PatientFile, type PatientListItem, patientFile } from "./people/patientRecords";
export {
  type ImportOutcome,
  type ImportPreview,
  importPatients,
  type PatientImportRow,
  patientImportLimits,
  previewPatientImport,
  type RowProblem,
} from "./people/patients/importPatients";
export { addPatient, editPatient, setPortalAccess } from "./people/patients/managePatients";
export {
  checkPatientDetails,
  type FieldProblem,
  type PatientDetails,
  type PatientDetailsInput,
  type PatientField,
  type PatientProblem,
  patientDetailLimits,
} from "./people/patients/patientDetails";
export {
  type Actor,
  erasedPatientName,
  type Patient,
  type PatientErasure,
  type PersonRef,
  type PortalAccountState,
  parsePersonKey,
  patientName,
  personKey,
  portalAccountStates,
  type StaffMember,
  type StaffRole,
  samePerson,
  staffRoles,
} from "./people/people";
export { type PersonView, patientView, personViews, staffView } from "./people/personViews";
export {
  type ComposerRules,
  canSendAnything,
  canStartPatientChat,
  composerRules,
  patientReachability,
  refOf,
} from "./people/reachability";
export { maxSearchResults, type SearchResult, searchPeople } from "./people/searchPeople";
export { setAvailability } from "./people/setAvailability";
export { setEmailNotifications } from "./people/setEmailNotifications";
export { teammates } from "./people/teammates";
export { type PortalChatView, portalChatView } from "./portal/portalChatView";
export type { HitPosition, IndexedMessage, IndexHit, SearchIndex, SearchScope } from "./search/ports";
export {
  maxSearchPage,
  type SearchHit,
  type SearchPage,
  type SearchRequest,
  searchMessages,
} from "./search/searchMessages";
export { type Highlight, type Snippet, snippetOf } from "./search/snippet";
export { longestQuery, queryWordsOf, searchTermsOf, wordsOf } from "./search/words";
export { type AuditTargets, audited } from "./shared/audited";
export {
  type BackgroundPace,
  backgroundPace,
  inTurns,
  type Resting,
  restAfter,
} from "./shared/backgroundPace";
export { allow, assertAllowed, type Decision, deny, refuse } from "./shared/Decision";
export { DomainError, type DomainErrorCode, domainErrorCodes, isDomainError } from "./shared/DomainError";
export type { ChatDeps, NotificationDeps, SignInLinks } from "./shared/deps";
export type { Clock, Ids } from "./shared/ports";
export type { Stores, UnitOfWork } from "./shared/UnitOfWork";
export type { NewStaffInvitation, StaffInvitationLookup, TeamStore } from "./team/TeamStore";
export {
  applyTeamChange,
  decideTeamChange,
  type StaffInvitation,
  type TeamChange,
  type TeamMember,
} from "./team/team";
