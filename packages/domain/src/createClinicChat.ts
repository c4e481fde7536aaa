import { bookAppointment, cancelAppointment, moveAppointment } from "./appointments/bookAppointments";
import { appointmentDetails, listAppointments } from "./appointments/listAppointments";
import { exportAuditTrail, listAuditTrail } from "./audit/listAuditTrail";
import { confirmBroadcastFile, requestBroadcastFileUpload } from "./broadcasts/broadcastFile";
import { broadcastReport, listBroadcasts } from "./broadcasts/broadcastReport";
import { cancelBroadcast } from "./broadcasts/cancelBroadcast";
import { previewBroadcast, sendBroadcast } from "./broadcasts/composeBroadcast";
import { type BroadcastPace, deliverBroadcastTurn } from "./broadcasts/deliverBroadcastTurn";
import type { BroadcastTurn } from "./broadcasts/ports";
import { addParticipant } from "./chat/addParticipant";
import { deleteMessage } from "./chat/deleteMessage";
import { listConversations } from "./chat/listConversations";
import { markRead } from "./chat/markRead";
import { openConversation } from "./chat/openConversation";
import { patientStartChat } from "./chat/patientStartChat";
import { readHistories, readHistory } from "./chat/readHistory";
import { renameConversation } from "./chat/renameConversation";
import { type SendMessagesOptions, type SendRequest, sendMessage, sendMessages } from "./chat/sendMessage";
import { startPatientChat } from "./chat/startPatientChat";
import { startTeamChat } from "./chat/startTeamChat";
import { changeClinicPlan, changeClinicSettings } from "./clinic/changeClinicSettings";
import { entitlementView } from "./clinic/entitlementView";
import {
  emergencyNoticeCount,
  emergencyStanding,
  openInEmergency,
  recentEmergencyAccess,
} from "./emergency/emergencyUseCases";
import { exportConversation } from "./export/exportConversation";
import { cleanupUnconfirmedUploads } from "./files/cleanupUnconfirmedUploads";
import { confirmFileUpload } from "./files/confirmFileUpload";
import { downloadFile } from "./files/downloadFile";
import { filePreview } from "./files/filePreview";
import { makeFilePreviews } from "./files/makeFilePreviews";
import { cancelUpload, uploadsInProgress } from "./files/myUploads";
import type { FileScan } from "./files/ports";
import type { FilePreviewJob } from "./files/previews";
import { requestFileUpload } from "./files/requestFileUpload";
import { scanUploadedFile } from "./files/scanUploadedFile";
import { uploadState } from "./files/uploadState";
import { afterHoursNotice, changeOfficeHours, officeHours } from "./hours/officeHoursUseCases";
import { changeInbox, markUnread } from "./inbox/changeInbox";
import { listInbox, readTimeline } from "./inbox/listInbox";
import {
  authenticateHost,
  createApiCredential,
  listApiCredentials,
  revokeApiCredential,
} from "./integration/credentials";
import { admitHostCall } from "./integration/hostAudited";
import { exportPatientChatForHost } from "./integration/hostExport";
import { findHostRecord, patientOfHostLink } from "./integration/hostReads";
import type { HostCaller } from "./integration/ports";
import { recordFromHost } from "./integration/recordFromHost";
import { conversationsJoinedOf, eventsAfter, subscriberStanding, unreadTotal } from "./live/subscription";
import { handleNotificationTimer } from "./notifications/handleNotificationTimer";
import { accountSettings } from "./people/accountSettings";
import { availablePractitioners } from "./people/availablePractitioners";
import { listPatients, patientFile } from "./people/patientRecords";
import { importPatients, previewPatientImport } from "./people/patients/importPatients";
import { addPatient, editPatient, setPortalAccess } from "./people/patients/managePatients";
import type { Actor } from "./people/people";
import { searchPeople } from "./people/searchPeople";
import { setAvailability } from "./people/setAvailability";
import { setEmailNotifications } from "./people/setEmailNotifications";
import { teammates } from "./people/teammates";
import { portalChatView } from "./portal/portalChatView";
import { conversationTranscript } from "./records/conversationTranscript";
import { erasePatient } from "./records/erasePatient";
import { legalHoldOf, liftLegalHold, placeLegalHold } from "./records/legalHolds";
import {
  changeRetention,
  type RetentionOptions,
  retentionSetting,
  runRetention,
} from "./records/retentionRuns";
import type { ScheduledDue } from "./scheduled/ScheduledMessage";
import {
  cancelScheduledMessage,
  editScheduledMessage,
  listScheduledMessages,
  scheduleMessage,
  sendLaterOptions,
} from "./scheduled/scheduleMessages";
import { sendScheduledMessage } from "./scheduled/sendScheduledMessage";
import { searchMessages } from "./search/searchMessages";
import type { NotificationDeps } from "./shared/deps";
import { deleteTemplate, fillTemplateFor, listTemplates, saveTemplate } from "./templates/templateUseCases";

/**
 * Every use case with its ports bound: what a delivery app (an API, a CLI, a test) calls. Each
 * takes the acting person first, except the worker's jobs.
 */
export function createClinicChat(deps: NotificationDeps) {
  const bind =
    <A extends unknown[], R>(useCase: (deps: NotificationDeps, ...args: A) => R) =>
    (...args: A): R =>
      useCase(deps, ...args);
  return {
    startPatientChat: bind(startPatientChat),
    patientStartChat: bind(patientStartChat),
    startTeamChat: bind(startTeamChat),
    addParticipant: bind(addParticipant),
    renameConversation: bind(renameConversation),
    openConversation: bind(openConversation),
    listConversations: bind(listConversations),
    readHistory: bind(readHistory),
    searchMessages: bind(searchMessages),
    readHistories: bind(readHistories),
    sendMessage: bind(sendMessage),
    sendMessages: (requests: readonly SendRequest[], options?: SendMessagesOptions) =>
      sendMessages(deps, requests, options),
    markRead: bind(markRead),
    exportConversation: bind(exportConversation),
    deleteMessage: bind(deleteMessage),
    requestFileUpload: bind(requestFileUpload),
    confirmFileUpload: bind(confirmFileUpload),
    downloadFile: bind(downloadFile),
    uploadState: bind(uploadState),
    filePreview: bind(filePreview),
    uploadsInProgress: bind(uploadsInProgress),
    cancelUpload: bind(cancelUpload),
    searchPeople: bind(searchPeople),
    availablePractitioners: (actor: Actor) => availablePractitioners(deps, actor),
    teammates: (actor: Actor) => teammates(deps, actor),
    setAvailability: bind(setAvailability),
    setEmailNotifications: bind(setEmailNotifications),
    accountSettings: (actor: Actor) => accountSettings(deps, actor),
    entitlementView: (actor: Actor) => entitlementView(deps, actor),
    portalChatView: (actor: Actor) => portalChatView(deps, actor),
    subscriberStanding: (actor: Actor) => subscriberStanding(deps, actor),
    conversationsJoinedOf: bind(conversationsJoinedOf),
    unreadTotal: (actor: Actor) => unreadTotal(deps, actor),
    eventsAfter: bind(eventsAfter),
    listAppointments: bind(listAppointments),
    appointmentDetails: bind(appointmentDetails),
    bookAppointment: bind(bookAppointment),
    moveAppointment: bind(moveAppointment),
    cancelAppointment: bind(cancelAppointment),
    listPatients: bind(listPatients),
    patientFile: bind(patientFile),
    addPatient: bind(addPatient),
    editPatient: bind(editPatient),
    setPortalAccess: bind(setPortalAccess),
    previewPatientImport: bind(previewPatientImport),
    importPatients: bind(importPatients),
    listAuditTrail: bind(listAuditTrail),
    exportAuditTrail: bind(exportAuditTrail),
    emergencyStanding: bind(emergencyStanding),
    openInEmergency: bind(openInEmergency),
    recentEmergencyAccess: (actor: Actor) => recentEmergencyAccess(deps, actor),
    emergencyNoticeCount: (actor: Actor) => emergencyNoticeCount(deps, actor),
    changeClinicSettings: bind(changeClinicSettings),
    changeClinicPlan: bind(changeClinicPlan),
    listInbox: bind(listInbox),
    readTimeline: bind(readTimeline),
    changeInbox: bind(changeInbox),
    markUnread: bind(markUnread),
    officeHours: (actor: Actor) => officeHours(deps, actor),
    changeOfficeHours: bind(changeOfficeHours),
    afterHoursNotice: (actor: Actor) => afterHoursNotice(deps, actor),
    handleNotificationTimer: bind(handleNotificationTimer),
    createApiCredential: bind(createApiCredential),
    listApiCredentials: (actor: Actor) => listApiCredentials(deps, actor),
    revokeApiCredential: bind(revokeApiCredential),
    authenticateHost: bind(authenticateHost),
    admitHostCall: (caller: HostCaller, limits?: { readonly perMinute: number }) =>
      admitHostCall(deps, caller, limits),
    recordFromHost: bind(recordFromHost),
    findHostRecord: bind(findHostRecord),
    exportPatientChatForHost: bind(exportPatientChatForHost),
    patientOfHostLink: bind(patientOfHostLink),
    cleanupUnconfirmedUploads: (clinicId: string) => cleanupUnconfirmedUploads(deps, clinicId),
    scanUploadedFile: (scan: FileScan) => scanUploadedFile(deps, scan),
    listTemplates: (actor: Actor) => listTemplates(deps, actor),
    saveTemplate: bind(saveTemplate),
    deleteTemplate: bind(deleteTemplate),
    fillTemplate: bind(fillTemplateFor),
    conversationTranscript: bind(conversationTranscript),
    placeLegalHold: bind(placeLegalHold),
    erasePatient: bind(erasePatient),
    liftLegalHold: bind(liftLegalHold),
    legalHoldOf: bind(legalHoldOf),
    retentionSetting: (actor: Actor) => retentionSetting(deps, actor),
    changeRetention: bind(changeRetention),
    runRetention: (clinicId: string, options?: RetentionOptions) => runRetention(deps, clinicId, options),
    scheduleMessage: bind(scheduleMessage),
    editScheduledMessage: bind(editScheduledMessage),
    cancelScheduledMessage: bind(cancelScheduledMessage),
    listScheduledMessages: bind(listScheduledMessages),
    sendLaterOptions: (actor: Actor) => sendLaterOptions(deps, actor),
    sendScheduledMessage: (due: ScheduledDue) => sendScheduledMessage(deps, due),
    previewBroadcast: bind(previewBroadcast),
    sendBroadcast: bind(sendBroadcast),
    cancelBroadcast: bind(cancelBroadcast),
    listBroadcasts: (actor: Actor) => listBroadcasts(deps, actor),
    broadcastReport: bind(broadcastReport),
    requestBroadcastFileUpload: bind(requestBroadcastFileUpload),
    confirmBroadcastFile: bind(confirmBroadcastFile),
    deliverBroadcastTurn: (turn: BroadcastTurn, pace?: BroadcastPace) =>
      deliverBroadcastTurn(deps, turn, pace),
    makeFilePreviews: (job: FilePreviewJob) => makeFilePreviews(deps, job),
  };
}

/** The bound use cases returned by {@link createClinicChat}. */
export type ClinicChat = ReturnType<typeof createClinicChat>;
