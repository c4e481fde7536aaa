import type { Appointment } from "@clinic-chat/domain";
import { defaultOfficeHours } from "@clinic-chat/domain/hours";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/router";
import { testUuid } from "./support/fakes";
import {
  type ProductBrowser,
  shareFile,
  startTestProduct,
  type TestProduct,
  tinyPdf,
} from "./support/product";

/**
 * Issue 6's authorization matrix, on the real product (real PostgreSQL, real sign-in, real HTTP):
 * every procedure × every audience. `yes`: let through (anything but 401/403); `no`: refused with
 * 401 or 403; `404`: let through to a use case, which must answer clinic A's ids with exactly the
 * answer it gives for unknown ids (ELIG-5). Clinic B callers get clinic A's ids in their inputs.
 *
 * Audiences: anonymous; a patient of clinic A; clinic A's admin, practitioner and front-desk staff;
 * clinic B's admin; a patient of clinic B; a clinic A admin deactivated after signing in; a
 * clinic A patient whose portal account was disabled after signing in (ELIG-6).
 */
const matrix = `
procedure                       anon  patA  adminA  practA  staffA  staffB  patB  deactA  disabA
auth.signIn                     yes   yes   yes     yes     yes     yes     yes   yes     yes
auth.acceptInvitation           yes   yes   yes     yes     yes     yes     yes   yes     yes
auth.requestPasswordReset       yes   yes   yes     yes     yes     yes     yes   yes     yes
auth.resetPassword              yes   yes   yes     yes     yes     yes     yes   yes     yes
auth.changePassword             no    yes   yes     yes     yes     yes     yes   no      no
auth.me                         no    yes   yes     yes     yes     yes     yes   no      no
auth.confirmTotpEnrolment       no    yes   yes     yes     yes     yes     yes   no      no
auth.startTotpEnrolment         no    yes   yes     yes     yes     yes     yes   no      no
live.events                     no    yes   yes     yes     yes     yes     yes   no      no
live.typing                     no    yes   yes     yes     yes     404     404   no      no
conversations.list              no    yes   yes     yes     yes     yes     yes   no      no
conversations.open              no    yes   yes     yes     yes     404     404   no      no
conversations.history           no    yes   yes     yes     yes     404     404   no      no
conversations.markRead          no    yes   yes     yes     yes     404     404   no      no
conversations.startWithPatient  no    no    yes     yes     yes     404     no    no      no
conversations.startTeam         no    no    yes     yes     yes     404     no    no      no
conversations.addParticipant    no    no    yes     yes     yes     404     no    no      no
conversations.rename            no    no    yes     yes     yes     404     no    no      no
conversations.patientStart      no    yes   no      no      no      no      404   no      no
messages.send                   no    yes   yes     yes     yes     404     404   no      no
messages.delete                 no    yes   yes     yes     yes     404     404   no      no
search.messages                 no    no    yes     yes     yes     404     no    no      no
files.requestUpload             no    yes   yes     yes     yes     404     404   no      no
files.confirmUpload             no    yes   yes     yes     yes     404     404   no      no
files.uploadState               no    yes   yes     yes     yes     404     404   no      no
files.download                  no    yes   yes     yes     yes     404     404   no      no
files.preview                   no    yes   yes     yes     yes     404     404   no      no
files.inProgress                no    yes   yes     yes     yes     404     404   no      no
files.cancelUpload              no    yes   yes     yes     yes     404     404   no      no
people.search                   no    no    yes     yes     yes     yes     no    no      no
people.teammates                no    no    yes     yes     yes     yes     no    no      no
people.availablePractitioners   no    yes   no      no      no      no      yes   no      no
people.setAvailability          no    no    no      yes     no      no      no    no      no
patients.invite                 no    no    yes     yes     yes     404     no    no      no
patients.list                   no    no    yes     yes     yes     yes     no    no      no
patients.get                    no    no    yes     yes     yes     404     no    no      no
patients.add                    no    no    yes     yes     yes     yes     no    no      no
patients.edit                   no    no    yes     yes     yes     404     no    no      no
patients.setPortalAccess        no    no    yes     yes     yes     404     no    no      no
patients.importPreview          no    no    yes     no      no      yes     no    no      no
patients.importConfirm          no    no    yes     no      no      yes     no    no      no
appointments.list               no    no    yes     yes     yes     yes     no    no      no
appointments.get                no    no    yes     yes     yes     404     no    no      no
appointments.create             no    no    yes     yes     yes     404     no    no      no
appointments.move               no    no    yes     yes     yes     404     no    no      no
appointments.cancel             no    no    yes     yes     yes     404     no    no      no
account.settings                no    no    yes     yes     yes     yes     no    no      no
account.setEmailNotifications   no    no    yes     yes     yes     yes     no    no      no
clinic.entitlements             no    no    yes     yes     yes     yes     no    no      no
clinic.changeSettings           no    no    yes     no      no      yes     no    no      no
clinic.changePlan               no    no    yes     no      no      yes     no    no      no
audit.list                      no    no    yes     no      no      yes     no    no      no
audit.export                    no    no    yes     no      no      yes     no    no      no
emergency.standing              no    no    yes     no      no      404     no    no      no
emergency.open                  no    no    yes     no      no      404     no    no      no
emergency.recent                no    no    yes     no      no      yes     no    no      no
emergency.noticeCount           no    no    yes     no      no      yes     no    no      no
auth.staffInvitation            yes   yes   yes     yes     yes     yes     yes   yes     yes
auth.acceptStaffInvitation      yes   yes   yes     yes     yes     yes     yes   yes     yes
team.list                       no    no    yes     no      no      yes     no    no      no
team.invite                     no    no    yes     no      no      yes     no    no      no
team.resendInvitation           no    no    yes     no      no      404     no    no      no
team.revokeInvitation           no    no    yes     no      no      404     no    no      no
team.changeRole                 no    no    yes     no      no      404     no    no      no
team.deactivate                 no    no    yes     no      no      404     no    no      no
team.reactivate                 no    no    yes     no      no      404     no    no      no
team.resetSecondFactor          no    no    yes     no      no      404     no    no      no
portal.chat                     no    yes   no      no      no      no      yes   no      no
inbox.list                      no    no    yes     yes     yes     yes     no    no      no
inbox.timeline                  no    yes   yes     yes     yes     404     404   no      no
inbox.claim                     no    no    yes     yes     yes     404     no    no      no
inbox.assign                    no    no    yes     yes     yes     404     no    no      no
inbox.unassign                  no    no    yes     yes     yes     404     no    no      no
inbox.close                     no    no    yes     yes     yes     404     no    no      no
inbox.reopen                    no    no    yes     yes     yes     404     no    no      no
inbox.markUnread                no    no    yes     yes     yes     404     no    no      no
inbox.officeHours               no    no    yes     yes     yes     yes     no    no      no
inbox.changeOfficeHours         no    no    yes     no      no      yes     no    no      no
inbox.afterHoursNotice          no    yes   yes     yes     yes     yes     yes   no      no
conversations.exportForChart    no    no    yes     yes     yes     404     no    no      no
webhooks.list                   no    no    yes     no      no      yes     no    no      no
webhooks.register               no    no    yes     no      no      yes     no    no      no
webhooks.setEnabled             no    no    yes     no      no      404     no    no      no
webhooks.remove                 no    no    yes     no      no      404     no    no      no
templates.list                  no    no    yes     yes     yes     yes     no    no      no
templates.save                  no    no    yes     yes     yes     yes     no    no      no
templates.delete                no    no    yes     yes     yes     404     no    no      no
templates.fill                  no    no    yes     yes     yes     404     no    no      no
scheduled.options               no    no    yes     yes     yes     yes     no    no      no
scheduled.list                  no    no    yes     yes     yes     404     no    no      no
scheduled.schedule              no    no    yes     yes     yes     404     no    no      no
scheduled.edit                  no    no    yes     yes     yes     404     no    no      no
scheduled.cancel                no    no    yes     yes     yes     404     no    no      no
integration.credentials         no    no    yes     no      no      yes     no    no      no
integration.createCredential    no    no    yes     no      no      yes     no    no      no
integration.revokeCredential    no    no    yes     no      no      404     no    no      no
integration.openByHostId        no    no    yes     yes     yes     404     no    no      no
broadcasts.preview              no    no    yes     no      no      yes     no    no      no
broadcasts.send                 no    no    yes     no      no      yes     no    no      no
broadcasts.cancel               no    no    yes     no      no      404     no    no      no
broadcasts.list                 no    no    yes     no      no      yes     no    no      no
broadcasts.report               no    no    yes     no      no      404     no    no      no
broadcasts.requestFileUpload    no    no    yes     no      no      yes     no    no      no
broadcasts.confirmFile          no    no    yes     no      no      404     no    no      no
records.hold                    no    no    yes     yes     yes     404     no    no      no
records.placeHold               no    no    yes     no      no      404     no    no      no
records.liftHold                no    no    yes     no      no      404     no    no      no
records.erasePatient            no    no    yes     no      no      404     no    no      no
records.retention               no    no    yes     no      no      yes     no    no      no
records.setRetention            no    no    yes     no      no      yes     no    no      no
records.exportPdf               no    no    yes     yes     yes     404     no    no      no
auth.signOutEverywhere          no    yes   yes     yes     yes     yes     yes   no      no
auth.signOut                    yes   yes   yes     yes     yes     yes     yes   yes     yes
`;

type Cell = "yes" | "no" | "404";
const audiences = [
  "anon",
  "patA",
  "adminA",
  "practA",
  "staffA",
  "staffB",
  "patB",
  "deactA",
  "disabA",
] as const;
type AudienceName = (typeof audiences)[number];

const rows = matrix
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [path = "", ...cells] = line.trim().split(/\s+/);
    if (cells.length !== audiences.length || cells.some((c) => !["yes", "no", "404"].includes(c)))
      throw new Error(`malformed matrix row: ${line}`);
    return { path, cells: Object.fromEntries(audiences.map((a, i) => [a, cells[i] as Cell])) };
  }) as { path: string; cells: Record<AudienceName, Cell> }[];

/** The ids the inputs point at: clinic A's real ones, or ones that exist nowhere. */
interface Ids {
  readonly conversationId: string;
  readonly messageId: string;
  readonly fileId: string;
  readonly appointmentId: string;
  readonly patientId: string;
  readonly invitedPatientId: string;
  readonly practitionerId: string;
  readonly staffId: string;
  readonly staffInvitationId: string;
  readonly webhookEndpointId: string;
  readonly templateId: string;
  readonly scheduledId: string;
  readonly teamConversationId: string;
}
const unknownIds: Ids = {
  conversationId: testUuid("0000dead", 1),
  messageId: testUuid("0000dead", 2),
  fileId: testUuid("0000dead", 3),
  appointmentId: testUuid("0000dead", 4),
  patientId: testUuid("0000dead", 5),
  invitedPatientId: testUuid("0000dead", 6),
  practitionerId: testUuid("0000dead", 7),
  staffId: testUuid("0000dead", 8),
  staffInvitationId: testUuid("0000dead", 9),
  webhookEndpointId: testUuid("0000dead", 10),
  templateId: testUuid("0000dead", 11),
  scheduledId: testUuid("0000dead", 12),
  teamConversationId: testUuid("0000dead", 13),
};

/** A time on the clinic's wall clock (UTC) two days ahead, for "Send later" (SCHED-1). */
const twoDaysAhead = () => ({
  date: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
  minute: 9 * 60,
});

/**
 * A valid input per procedure. `harmless: false` marks calls that would destroy what later rows
 * read: clinic A's own people make them with unknown ids (allowed, then NOT_FOUND); clinic B's
 * make them with clinic A's ids, which must find nothing.
 */
const inputs: Record<string, { input: (ids: Ids) => unknown; harmless?: false }> = {
  "auth.signIn": {
    input: () => ({ audience: "patient", email: "pia@mail.test", password: "correct horse battery staple" }),
  },
  "auth.acceptInvitation": { input: () => ({ token: "A".repeat(43), password: "a long enough password" }) },
  "auth.requestPasswordReset": { input: () => ({ audience: "staff", email: "nobody@mail.test" }) },
  "auth.resetPassword": { input: () => ({ token: "A".repeat(43), password: "a long enough password" }) },
  // A wrong current password: let through to the check, which refuses it and changes nothing.
  "auth.changePassword": {
    input: () => ({ currentPassword: "not the password", newPassword: "a long enough password" }),
  },
  "auth.me": { input: () => undefined },
  // Before starting enrolment, so a patient's answer is "not started" rather than a wrong code.
  "auth.confirmTotpEnrolment": { input: () => ({ code: "123456" }) },
  "auth.startTotpEnrolment": { input: () => ({}) },
  "live.events": { input: () => undefined },
  "live.typing": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "conversations.list": { input: () => ({ limit: 20 }) },
  "conversations.open": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "conversations.history": { input: (ids) => ({ conversationId: ids.conversationId, limit: 20 }) },
  "conversations.markRead": { input: (ids) => ({ conversationId: ids.conversationId, upToSeq: 1 }) },
  "conversations.startWithPatient": { input: (ids) => ({ patientId: ids.patientId }) },
  "conversations.startTeam": { input: (ids) => ({ staffIds: [ids.staffId] }) },
  "conversations.addParticipant": {
    input: (ids) => ({ conversationId: ids.conversationId, staffId: ids.staffId }),
  },
  "conversations.rename": {
    input: (ids) => ({ conversationId: ids.teamConversationId, name: "Matrix probe" }),
  },
  "conversations.patientStart": { input: (ids) => ({ practitionerId: ids.practitionerId }) },
  "messages.send": {
    input: (ids) => ({ conversationId: ids.conversationId, clientId: "matrix-1", text: "Matrix probe" }),
  },
  "messages.delete": { input: (ids) => ({ messageId: ids.messageId }), harmless: false },
  "search.messages": { input: (ids) => ({ query: "results", conversationId: ids.conversationId }) },
  "files.requestUpload": {
    input: (ids) => ({
      conversationId: ids.conversationId,
      clientId: "matrix-f",
      fileName: "probe.pdf",
      sizeBytes: 100,
      contentType: "application/pdf",
    }),
  },
  "files.confirmUpload": { input: (ids) => ({ fileId: ids.fileId }) },
  "files.uploadState": { input: (ids) => ({ fileId: ids.fileId }) },
  "files.download": { input: (ids) => ({ fileId: ids.fileId }) },
  "files.preview": { input: (ids) => ({ fileId: ids.fileId, renditions: ["thumbnail"] }) },
  "files.inProgress": { input: (ids) => ({ conversationId: ids.conversationId }) },
  // A shared file cannot be cancelled (it is deleted as a message): refused, nothing destroyed.
  "files.cancelUpload": { input: (ids) => ({ fileId: ids.fileId }) },
  "people.search": { input: () => ({ kind: "patient", query: "Oph", limit: 10 }) },
  "people.teammates": { input: () => undefined },
  "people.availablePractitioners": { input: () => undefined },
  "people.setAvailability": { input: () => ({ available: true }) },
  "patients.invite": { input: (ids) => ({ patientId: ids.invitedPatientId }) },
  "patients.list": { input: () => ({ limit: 20 }) },
  "patients.get": { input: (ids) => ({ patientId: ids.patientId }) },
  "patients.add": {
    input: () => ({ name: "Matrix Added", dateOfBirth: "1980-01-02", smsConsent: false }),
  },
  "patients.edit": {
    input: (ids) => ({
      patientId: ids.patientId,
      details: { name: "Matrix Edited", dateOfBirth: "1980-01-02", smsConsent: false },
    }),
    harmless: false,
  },
  "patients.setPortalAccess": {
    input: (ids) => ({ patientId: ids.patientId, enabled: false }),
    harmless: false,
  },
  "patients.importPreview": {
    input: () => ({ csv: "host_id,name,date_of_birth\nM-1,Matrix Import,1980-01-02\n" }),
  },
  "patients.importConfirm": {
    input: () => ({ csv: "host_id,name,date_of_birth\nM-1,Matrix Import,1980-01-02\n" }),
  },
  "appointments.list": {
    input: () => ({
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 6 * 86_400_000).toISOString(),
      limit: 100,
    }),
  },
  "appointments.get": { input: (ids) => ({ appointmentId: ids.appointmentId }) },
  "appointments.create": {
    input: (ids) => ({
      patientId: ids.patientId,
      practitionerId: ids.practitionerId,
      startsAt: new Date(Date.now() + 2 * 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 2.5 * 3_600_000).toISOString(),
    }),
  },
  "appointments.move": {
    input: (ids) => ({
      appointmentId: ids.appointmentId,
      startsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 3.5 * 3_600_000).toISOString(),
    }),
  },
  "appointments.cancel": { input: (ids) => ({ appointmentId: ids.appointmentId }), harmless: false },
  "account.settings": { input: () => undefined },
  "account.setEmailNotifications": { input: () => ({ enabled: true }) },
  "clinic.entitlements": { input: () => undefined },
  // Both clinics are on Premium with SMS off: these change nothing.
  "clinic.changeSettings": { input: () => ({ smsNotificationsEnabled: false }) },
  "clinic.changePlan": { input: () => ({ plan: "premium" }) },
  "audit.list": { input: (ids) => ({ limit: 20, conversationId: ids.conversationId }) },
  // REC-6: another clinic's patient filters to nothing, exactly as an unknown id does.
  "audit.export": { input: (ids) => ({ patientId: ids.patientId, action: "file.download" }) },
  // REC-7: clinic A's admin is not in the doctor's conversation; clinic B's admin never finds it.
  "emergency.standing": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "emergency.open": { input: (ids) => ({ conversationId: ids.conversationId, reason: "Matrix probe" }) },
  "emergency.recent": { input: () => undefined },
  "emergency.noticeCount": { input: () => undefined },
  "portal.chat": { input: () => undefined },
  "auth.staffInvitation": { input: () => ({ token: "A".repeat(43) }) },
  "auth.acceptStaffInvitation": {
    input: () => ({ token: "A".repeat(43), name: "Matrix Probe", password: "a long enough password" }),
  },
  "team.list": { input: () => undefined },
  "team.invite": { input: () => ({ email: "matrix.probe@team.test", role: "staff" }) },
  // Clinic A's own admin makes these with unknown ids (they would change whom later rows sign in as).
  "team.resendInvitation": { input: (ids) => ({ invitationId: ids.staffInvitationId }), harmless: false },
  "team.revokeInvitation": { input: (ids) => ({ invitationId: ids.staffInvitationId }), harmless: false },
  "team.changeRole": { input: (ids) => ({ staffId: ids.staffId, role: "staff" }), harmless: false },
  "team.deactivate": { input: (ids) => ({ staffId: ids.staffId }), harmless: false },
  "team.reactivate": { input: (ids) => ({ staffId: ids.staffId }), harmless: false },
  "team.resetSecondFactor": { input: (ids) => ({ staffId: ids.staffId }), harmless: false },
  "inbox.list": { input: () => ({ view: "open", limit: 20 }) },
  "inbox.timeline": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "inbox.claim": { input: (ids) => ({ conversationId: ids.conversationId }) },
  // The doctor assigns the conversation to themselves: the one staff participant it has.
  "inbox.assign": { input: (ids) => ({ conversationId: ids.conversationId, staffId: ids.practitionerId }) },
  "inbox.unassign": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "inbox.close": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "inbox.reopen": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "inbox.markUnread": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "inbox.officeHours": { input: () => undefined },
  // The hours a clinic starts with, the automatic reply off: later rows see no difference.
  "inbox.changeOfficeHours": { input: () => ({ ...defaultOfficeHours("UTC") }) },
  "inbox.afterHoursNotice": { input: () => undefined },
  "conversations.exportForChart": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "webhooks.list": { input: () => undefined },
  // Port 9 (discard) on loopback: nothing listens, so deliveries fail at once and quietly.
  "webhooks.register": { input: () => ({ url: "https://127.0.0.1:9/hooks" }) },
  "webhooks.setEnabled": { input: (ids) => ({ endpointId: ids.webhookEndpointId, enabled: true }) },
  "webhooks.remove": { input: (ids) => ({ endpointId: ids.webhookEndpointId }), harmless: false },
  "templates.list": { input: () => undefined },
  "templates.save": { input: () => ({ scope: "personal", name: "Matrix", text: "Hi {patient first name}" }) },
  "templates.delete": { input: (ids) => ({ templateId: ids.templateId }), harmless: false },
  "templates.fill": { input: (ids) => ({ conversationId: ids.conversationId, templateId: ids.templateId }) },
  "scheduled.options": { input: () => undefined },
  "scheduled.list": { input: (ids) => ({ conversationId: ids.conversationId }) },
  "scheduled.schedule": {
    input: (ids) => ({
      conversationId: ids.conversationId,
      clientId: "matrix-s",
      text: "Later",
      when: twoDaysAhead(),
    }),
  },
  "scheduled.edit": {
    input: (ids) => ({ scheduledId: ids.scheduledId, text: "Later, edited", when: twoDaysAhead() }),
  },
  "scheduled.cancel": { input: (ids) => ({ scheduledId: ids.scheduledId }), harmless: false },
  "auth.signOutEverywhere": { input: () => ({}) },
  "auth.signOut": { input: () => ({}) },
  "integration.credentials": { input: () => undefined },
  "integration.createCredential": { input: () => ({ name: "Practice system" }) },
  "integration.revokeCredential": {
    input: (ids) => ({ credentialId: ids.staffInvitationId }),
    harmless: false,
  },
  "integration.openByHostId": { input: () => ({ patient: "urn:host|H-1" }) },
  "broadcasts.preview": { input: () => ({ audience: { kind: "activePortal" }, kind: "text" }) },
  // A selection of one patient: clinic B's caller names clinic A's, who is no one of theirs.
  "broadcasts.send": {
    input: (ids) => ({
      clientId: `matrix-${ids.patientId}`,
      content: { kind: "text", text: "Closed on Friday" },
      audience: { kind: "selection", patientIds: [ids.invitedPatientId] },
      sendAt: null,
    }),
  },
  // Ids of other things than broadcasts: every caller is answered NOT_FOUND, as for unknown ids.
  "broadcasts.cancel": { input: (ids) => ({ broadcastId: ids.messageId }) },
  "broadcasts.list": { input: () => undefined },
  "broadcasts.report": { input: (ids) => ({ broadcastId: ids.messageId, limit: 5 }) },
  "broadcasts.requestFileUpload": {
    input: () => ({ fileName: "notice.pdf", sizeBytes: 100, contentType: "application/pdf" }),
  },
  "broadcasts.confirmFile": { input: (ids) => ({ fileId: ids.fileId }) },
  "records.hold": { input: (ids) => ({ patientId: ids.patientId }) },
  // Clinic A's admin holds and lifts an unknown patient (NOT_FOUND): deletion rows stay as they are.
  "records.placeHold": { input: (ids) => ({ patientId: ids.patientId, reason: "Matrix" }), harmless: false },
  "records.liftHold": { input: (ids) => ({ patientId: ids.patientId }), harmless: false },
  // The name typed does not match: clinic A's admin is refused for it (400), nothing is erased.
  "records.erasePatient": {
    input: (ids) => ({ patientId: ids.patientId, confirmName: "Matrix", reason: "Matrix" }),
    harmless: false,
  },
  "records.retention": { input: () => undefined },
  // No period: nothing is deleted.
  "records.setRetention": { input: () => ({ period: null }) },
  "records.exportPdf": { input: (ids) => ({ conversationId: ids.conversationId }) },
};

const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: "query" | "mutation" | "subscription" } }
>;

let t: TestProduct;
let browsers: Record<AudienceName, ProductBrowser>;
let ids: Ids;

beforeAll(async () => {
  t = await startTestProduct();
  const { a, b } = t.world;
  const doctor = await t.signInStaff(a.doctor);
  browsers = {
    anon: t.browser(),
    patA: await t.signInPatient(a.patient),
    adminA: await t.signInStaff(a.admin),
    practA: doctor,
    staffA: await t.signInStaff(a.nurse),
    staffB: await t.signInStaff(b.admin),
    patB: await t.signInPatient(b.patient),
    deactA: await t.signInStaff(a.leaver),
    disabA: await t.signInPatient(a.disabled),
  };
  // Clinic A's content: the doctor's conversation with the patient, a message, a file, an appointment.
  const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
    patientId: a.patient.id,
  });
  const message = await doctor.trpc.messages.send.mutate({
    conversationId: conversation.id,
    clientId: "seed-1",
    text: "Your results are in.",
  });
  const shared = await shareFile(doctor, conversation.id, {
    name: "results.pdf",
    bytes: tinyPdf,
    contentType: "application/pdf",
    clientId: "seed-f",
  });
  await shared.confirm();
  const team = await doctor.trpc.conversations.startTeam.mutate({ staffIds: [a.nurse.id] });
  const startsAt = new Date(Date.now() + 3_600_000);
  const appointment: Appointment = {
    id: testUuid("a990", 1),
    clinicId: a.clinicId,
    patientId: a.patient.id,
    practitionerId: a.doctor.id,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 1_800_000),
    status: "scheduled",
  };
  await t.product.domain.uow.run(a.clinicId, (s) => s.appointments.save(appointment));
  const template = await browsers.adminA.trpc.templates.save.mutate({
    scope: "clinic",
    name: "Seed",
    text: "Hi {patient first name}",
  });
  const scheduled = await doctor.trpc.scheduled.schedule.mutate({
    conversationId: conversation.id,
    clientId: "seed-s",
    text: "Later",
    when: twoDaysAhead(),
  });
  const staffInvitation = await browsers.adminA.trpc.team.invite.mutate({
    email: "invited.nurse@team.test",
    role: "staff",
  });
  const webhook = await browsers.adminA.trpc.webhooks.register.mutate({ url: "https://127.0.0.1:9/hooks" });
  ids = {
    conversationId: conversation.id,
    messageId: message.id,
    fileId: shared.fileId,
    appointmentId: appointment.id,
    patientId: a.patient.id,
    invitedPatientId: a.invited.id,
    practitionerId: a.doctor.id,
    staffId: a.nurse.id,
    staffInvitationId: staffInvitation.invitationId,
    webhookEndpointId: webhook.endpoint.id,
    templateId: template.id,
    scheduledId: scheduled.id,
    teamConversationId: team.conversation.id,
  };
  // ELIG-6: deactivated and disabled after signing in; their sessions must stop working.
  await t.product.domain.uow.run(a.clinicId, async (s) => {
    await s.directory.saveStaff({ ...a.leaver, active: false });
    await s.directory.savePatient({ ...a.disabled, portalAccount: "disabled" });
  });
});
afterAll(async () => {
  await t?.stop();
});

describe("the authorization matrix over real HTTP on real PostgreSQL", () => {
  it("the matrix has exactly one row per procedure of the router, and an input for each", () => {
    expect(rows.map((r) => r.path).sort()).toEqual(Object.keys(procedures).sort());
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(procedures).sort());
    expect(new Set(rows.map((r) => r.path)).size).toBe(rows.length);
  });

  it("SEC-1 ELIG-4 ELIG-5 ELIG-6: every procedure × audience answers as the matrix says", async () => {
    const mismatches: string[] = [];
    const record = (path: string, who: AudienceName, expected: Cell, got: unknown) =>
      mismatches.push(`${path} as ${who}: expected ${expected}, got ${JSON.stringify(got)}`);
    // Rows in order: the sign-outs come last because they end the callers' sessions.
    for (const row of rows) {
      const type = procedures[row.path]?._def.type;
      const spec = inputs[row.path];
      if (!type || !spec) throw new Error(`no procedure or input for ${row.path}`);
      for (const who of audiences) {
        const expected = row.cells[who];
        const browser = browsers[who];
        if (expected === "404") {
          const foreign = await browser.call(row.path, type, spec.input(ids));
          const unknown = await browser.call(row.path, type, spec.input(unknownIds));
          if (foreign.status !== 404 || foreign.domainCode !== "NOT_FOUND" || foreign.body !== unknown.body)
            record(row.path, who, expected, { foreign, unknown });
          continue;
        }
        const own = spec.harmless === false ? unknownIds : ids;
        const answer = await browser.call(row.path, type, spec.input(own));
        const refused = answer.status === 401 || answer.status === 403;
        if (expected === "no" ? !refused : refused || answer.code === "INTERNAL_SERVER_ERROR")
          record(row.path, who, expected, answer);
      }
    }
    expect(mismatches).toEqual([]);

    // The clinic A content clinic B probed is all still there, untouched.
    const stored = await t.owner
      .selectFrom("messages")
      .select(["id", "body_kind"])
      .where("id", "=", ids.messageId)
      .executeTakeFirst();
    expect(stored).toEqual({ id: ids.messageId, body_kind: "text" });
    const stillFile = await t.owner
      .selectFrom("files")
      .select("id")
      .where("id", "=", ids.fileId)
      .executeTakeFirst();
    expect(stillFile?.id).toBe(ids.fileId);
    const bParticipants = await t.owner
      .selectFrom("conversation_participants")
      .select("person_id")
      .where("conversation_id", "=", ids.conversationId)
      .execute();
    const bPeople = [t.world.b.admin.id, t.world.b.patient.id];
    expect(bParticipants.filter((p) => bPeople.includes(p.person_id))).toEqual([]);
    // Some 800 calls over HTTP, one after another: more than the default 20 seconds on a busy machine.
  }, 90_000);
});
