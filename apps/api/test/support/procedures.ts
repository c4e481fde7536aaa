import type { z } from "zod";
import { liveInput } from "../../src/live/liveRouter";
import { accountInput } from "../../src/routers/account";
import { appointmentsInput } from "../../src/routers/appointments";
import { auditInput } from "../../src/routers/audit";
import { authInput } from "../../src/routers/auth";
import { clinicInput } from "../../src/routers/clinic";
import { conversationsInput } from "../../src/routers/conversations";
import { filesInput } from "../../src/routers/files";
import { messagesInput } from "../../src/routers/messages";
import { patientsInput } from "../../src/routers/patients";
import { peopleInput } from "../../src/routers/people";
import { portalInput } from "../../src/routers/portal";
import { searchInput } from "../../src/routers/search";
import { teamInput } from "../../src/routers/team";
import { webhooksInput } from "../../src/routers/webhooks";
import { broadcastProcedureCases } from "./broadcastProcedures";
import { emergencyProcedureCases } from "./emergencyProcedures";
import { testUuid } from "./fakes";
import { inboxProcedureCases } from "./inboxProcedures";
import { integrationProcedureCases } from "./integrationProcedures";
import { recordsProcedureCases } from "./recordsProcedures";
import { templateProcedureCases } from "./templateProcedures";
import type { TestWorld } from "./world";

/** Who a procedure is for, as the API's first gate sees it; `public` ones need no session (sign-in). */
export type Audience = "public" | "signed-in" | "staff" | "admin" | "patient";

/** One procedure of the API, with what the generic tests need to call it. */
export interface ProcedureCase {
  readonly path: string;
  readonly type: "query" | "mutation";
  readonly audience: Audience;
  readonly schema: z.ZodType;
  /** A valid input; ids may point nowhere. */
  readonly sample: (world: TestWorld) => unknown;
}

const nowhere = testUuid("0000dead", 1);

/** Every procedure of the router; a test checks this list against the router itself. */
export const procedureCases: readonly ProcedureCase[] = [
  {
    path: "auth.signIn",
    type: "mutation",
    audience: "public",
    schema: authInput.signIn,
    sample: () => ({ audience: "staff", email: "someone@clinic.test", password: "a password" }),
  },
  {
    path: "auth.signOut",
    type: "mutation",
    audience: "public",
    schema: authInput.signOut,
    sample: () => ({}),
  },
  {
    path: "auth.signOutEverywhere",
    type: "mutation",
    audience: "signed-in",
    schema: authInput.signOutEverywhere,
    sample: () => ({}),
  },
  { path: "auth.me", type: "query", audience: "signed-in", schema: authInput.me, sample: () => undefined },
  {
    path: "auth.startTotpEnrolment",
    type: "mutation",
    audience: "signed-in",
    schema: authInput.startTotpEnrolment,
    sample: () => ({}),
  },
  {
    path: "auth.confirmTotpEnrolment",
    type: "mutation",
    audience: "signed-in",
    schema: authInput.confirmTotpEnrolment,
    sample: () => ({ code: "123456" }),
  },
  {
    path: "auth.acceptInvitation",
    type: "mutation",
    audience: "public",
    schema: authInput.acceptInvitation,
    sample: () => ({ token: "A".repeat(43), password: "a long enough password" }),
  },
  {
    path: "auth.staffInvitation",
    type: "mutation",
    audience: "public",
    schema: authInput.staffInvitation,
    sample: () => ({ token: "A".repeat(43) }),
  },
  {
    path: "auth.acceptStaffInvitation",
    type: "mutation",
    audience: "public",
    schema: authInput.acceptStaffInvitation,
    sample: () => ({ token: "A".repeat(43), name: "Nell New", password: "a long enough password" }),
  },
  {
    path: "auth.requestPasswordReset",
    type: "mutation",
    audience: "public",
    schema: authInput.requestPasswordReset,
    sample: () => ({ audience: "patient", email: "nobody@mail.test" }),
  },
  {
    path: "auth.resetPassword",
    type: "mutation",
    audience: "public",
    schema: authInput.resetPassword,
    sample: () => ({ token: "A".repeat(43), password: "a long enough password" }),
  },
  {
    path: "auth.changePassword",
    type: "mutation",
    audience: "signed-in",
    schema: authInput.changePassword,
    sample: () => ({ currentPassword: "not the password", newPassword: "a long enough password" }),
  },
  {
    path: "patients.invite",
    type: "mutation",
    audience: "staff",
    schema: patientsInput.invite,
    sample: (w) => ({ patientId: w.a.invited.id }),
  },
  {
    path: "patients.list",
    type: "mutation",
    audience: "staff",
    schema: patientsInput.list,
    sample: () => ({ limit: 20, cursor: null }),
  },
  {
    path: "patients.get",
    type: "query",
    audience: "staff",
    schema: patientsInput.get,
    sample: (w) => ({ patientId: w.a.patient.id }),
  },
  {
    path: "patients.add",
    type: "mutation",
    audience: "staff",
    schema: patientsInput.add,
    sample: () => ({ name: "Sample Patient", dateOfBirth: "1980-01-02", smsConsent: false, hostId: "S-1" }),
  },
  {
    path: "patients.edit",
    type: "mutation",
    audience: "staff",
    schema: patientsInput.edit,
    sample: (w) => ({
      patientId: w.a.patient.id,
      details: { name: "Sample Patient", dateOfBirth: "1980-01-02", smsConsent: false },
    }),
  },
  {
    path: "patients.setPortalAccess",
    type: "mutation",
    audience: "staff",
    schema: patientsInput.setPortalAccess,
    sample: () => ({ patientId: nowhere, enabled: false }),
  },
  {
    path: "patients.importPreview",
    type: "mutation",
    audience: "admin",
    schema: patientsInput.importPreview,
    sample: () => ({ csv: "host_id,name,date_of_birth\nP-1,Procedure Patient,1980-01-02\n" }),
  },
  {
    path: "patients.importConfirm",
    type: "mutation",
    audience: "admin",
    schema: patientsInput.importConfirm,
    sample: () => ({ csv: "host_id,name,date_of_birth\nP-1,Procedure Patient,1980-01-02\n" }),
  },
  {
    path: "appointments.list",
    type: "query",
    audience: "staff",
    schema: appointmentsInput.list,
    sample: () => ({ from: "2026-03-02T00:00:00.000Z", to: "2026-03-09T00:00:00+01:00", limit: 100 }),
  },
  {
    path: "appointments.get",
    type: "query",
    audience: "staff",
    schema: appointmentsInput.get,
    sample: () => ({ appointmentId: nowhere }),
  },
  {
    path: "appointments.create",
    type: "mutation",
    audience: "staff",
    schema: appointmentsInput.create,
    sample: (w) => ({
      patientId: w.a.patient.id,
      practitionerId: w.a.doctor.id,
      startsAt: "2026-03-02T10:00:00.000Z",
      endsAt: "2026-03-02T10:30:00+00:00",
    }),
  },
  {
    path: "appointments.move",
    type: "mutation",
    audience: "staff",
    schema: appointmentsInput.move,
    sample: () => ({
      appointmentId: nowhere,
      startsAt: "2026-03-02T10:00:00.000Z",
      endsAt: "2026-03-02T10:30:00.000Z",
    }),
  },
  {
    path: "appointments.cancel",
    type: "mutation",
    audience: "staff",
    schema: appointmentsInput.cancel,
    sample: () => ({ appointmentId: nowhere }),
  },
  {
    path: "audit.list",
    type: "query",
    audience: "admin",
    schema: auditInput.list,
    sample: (w) => ({
      limit: 50,
      cursor: "12",
      action: "message.send",
      conversationId: nowhere,
      actorKey: `staff:${w.a.doctor.id}`,
      from: "2026-03-01T00:00:00Z",
      to: "2026-03-03T00:00:00Z",
      patientId: nowhere,
      fromDay: "2026-03-01",
      toDay: "2026-03-02",
    }),
  },
  {
    path: "audit.export",
    type: "mutation",
    audience: "admin",
    schema: auditInput.export,
    sample: (w) => ({
      action: "file.download",
      actorKey: `staff:${w.a.doctor.id}`,
      patientId: nowhere,
      fromDay: "2026-03-01",
      toDay: "2026-03-07",
    }),
  },
  {
    path: "account.settings",
    type: "query",
    audience: "staff",
    schema: accountInput.settings,
    sample: () => undefined,
  },
  {
    path: "account.setEmailNotifications",
    type: "mutation",
    audience: "staff",
    schema: accountInput.setEmailNotifications,
    sample: () => ({ enabled: false }),
  },
  {
    path: "conversations.list",
    type: "query",
    audience: "signed-in",
    schema: conversationsInput.list,
    sample: () => ({ limit: 20 }),
  },
  {
    path: "conversations.open",
    type: "query",
    audience: "signed-in",
    schema: conversationsInput.open,
    sample: () => ({ conversationId: nowhere }),
  },
  {
    path: "conversations.history",
    type: "query",
    audience: "signed-in",
    schema: conversationsInput.history,
    sample: () => ({ conversationId: nowhere, limit: 20, beforeSeq: 5 }),
  },
  {
    path: "conversations.startWithPatient",
    type: "mutation",
    audience: "staff",
    schema: conversationsInput.startWithPatient,
    sample: (w) => ({ patientId: w.a.patient.id }),
  },
  {
    path: "conversations.startTeam",
    type: "mutation",
    audience: "staff",
    schema: conversationsInput.startTeam,
    sample: (w) => ({ staffIds: [w.a.nurse.id] }),
  },
  {
    path: "conversations.patientStart",
    type: "mutation",
    audience: "patient",
    schema: conversationsInput.patientStart,
    sample: (w) => ({ practitionerId: w.a.doctor.id }),
  },
  {
    path: "conversations.rename",
    type: "mutation",
    audience: "staff",
    schema: conversationsInput.rename,
    sample: () => ({ conversationId: nowhere, name: "Front desk" }),
  },
  {
    path: "live.typing",
    type: "mutation",
    audience: "signed-in",
    schema: liveInput.typing,
    sample: () => ({ conversationId: nowhere }),
  },
  {
    path: "conversations.addParticipant",
    type: "mutation",
    audience: "staff",
    schema: conversationsInput.addParticipant,
    sample: (w) => ({ conversationId: nowhere, staffId: w.a.nurse.id }),
  },
  {
    path: "conversations.markRead",
    type: "mutation",
    audience: "signed-in",
    schema: conversationsInput.markRead,
    sample: () => ({ conversationId: nowhere, upToSeq: 3 }),
  },
  {
    path: "messages.send",
    type: "mutation",
    audience: "signed-in",
    schema: messagesInput.send,
    sample: () => ({ conversationId: nowhere, clientId: "c-1", text: "Hello" }),
  },
  {
    path: "messages.delete",
    type: "mutation",
    audience: "signed-in",
    schema: messagesInput.delete,
    sample: () => ({ messageId: nowhere }),
  },
  {
    path: "search.messages",
    type: "mutation",
    audience: "staff",
    schema: searchInput.messages,
    sample: () => ({ query: "appointment", conversationId: nowhere }),
  },
  {
    path: "files.requestUpload",
    type: "mutation",
    audience: "signed-in",
    schema: filesInput.requestUpload,
    sample: () => ({
      conversationId: nowhere,
      clientId: "f-1",
      fileName: "scan.pdf",
      sizeBytes: 1000,
      contentType: "application/pdf",
    }),
  },
  {
    path: "files.confirmUpload",
    type: "mutation",
    audience: "signed-in",
    schema: filesInput.confirmUpload,
    sample: () => ({ fileId: nowhere }),
  },
  {
    path: "files.uploadState",
    type: "query",
    audience: "signed-in",
    schema: filesInput.uploadState,
    sample: () => ({ fileId: nowhere }),
  },
  {
    path: "files.download",
    type: "mutation",
    audience: "signed-in",
    schema: filesInput.download,
    sample: () => ({ fileId: nowhere }),
  },
  {
    path: "files.preview",
    type: "mutation",
    audience: "signed-in",
    schema: filesInput.preview,
    sample: () => ({ fileId: nowhere, renditions: ["thumbnail", "display"] }),
  },
  {
    path: "files.inProgress",
    type: "query",
    audience: "signed-in",
    schema: filesInput.inProgress,
    sample: () => ({ conversationId: nowhere }),
  },
  {
    path: "files.cancelUpload",
    type: "mutation",
    audience: "signed-in",
    schema: filesInput.cancelUpload,
    sample: () => ({ fileId: nowhere }),
  },
  {
    path: "people.search",
    type: "mutation",
    audience: "staff",
    schema: peopleInput.search,
    sample: () => ({ kind: "patient", query: "Oph", limit: 10 }),
  },
  {
    path: "people.teammates",
    type: "query",
    audience: "staff",
    schema: peopleInput.teammates,
    sample: () => undefined,
  },
  {
    path: "people.availablePractitioners",
    type: "query",
    audience: "patient",
    schema: peopleInput.availablePractitioners,
    sample: () => undefined,
  },
  {
    path: "people.setAvailability",
    type: "mutation",
    audience: "staff",
    schema: peopleInput.setAvailability,
    sample: () => ({ available: false }),
  },
  {
    path: "clinic.entitlements",
    type: "query",
    audience: "staff",
    schema: clinicInput.entitlements,
    sample: () => undefined,
  },
  {
    path: "clinic.changeSettings",
    type: "mutation",
    audience: "admin",
    schema: clinicInput.changeSettings,
    sample: () => ({ smsNotificationsEnabled: true }),
  },
  {
    path: "team.list",
    type: "query",
    audience: "admin",
    schema: teamInput.list,
    sample: () => undefined,
  },
  {
    path: "team.invite",
    type: "mutation",
    audience: "admin",
    schema: teamInput.invite,
    sample: () => ({ email: "new.hire@team.test", role: "staff" }),
  },
  {
    path: "team.resendInvitation",
    type: "mutation",
    audience: "admin",
    schema: teamInput.resendInvitation,
    sample: () => ({ invitationId: "0190f5a2-0000-7000-8000-000000000001" }),
  },
  {
    path: "team.revokeInvitation",
    type: "mutation",
    audience: "admin",
    schema: teamInput.revokeInvitation,
    sample: () => ({ invitationId: "0190f5a2-0000-7000-8000-000000000001" }),
  },
  {
    path: "team.changeRole",
    type: "mutation",
    audience: "admin",
    schema: teamInput.changeRole,
    sample: () => ({ staffId: "0190f5a2-0000-7000-8000-000000000001", role: "practitioner" }),
  },
  {
    path: "team.deactivate",
    type: "mutation",
    audience: "admin",
    schema: teamInput.deactivate,
    sample: () => ({ staffId: "0190f5a2-0000-7000-8000-000000000001" }),
  },
  {
    path: "team.reactivate",
    type: "mutation",
    audience: "admin",
    schema: teamInput.reactivate,
    sample: () => ({ staffId: "0190f5a2-0000-7000-8000-000000000001" }),
  },
  {
    path: "team.resetSecondFactor",
    type: "mutation",
    audience: "admin",
    schema: teamInput.resetSecondFactor,
    sample: () => ({ staffId: "0190f5a2-0000-7000-8000-000000000001" }),
  },
  {
    path: "clinic.changePlan",
    type: "mutation",
    audience: "admin",
    schema: clinicInput.changePlan,
    sample: () => ({ plan: "enhanced" }),
  },
  {
    path: "portal.chat",
    type: "query",
    audience: "patient",
    schema: portalInput.chat,
    sample: () => undefined,
  },
  {
    path: "conversations.exportForChart",
    type: "query",
    audience: "staff",
    schema: conversationsInput.exportForChart,
    sample: () => ({ conversationId: nowhere }),
  },
  {
    path: "webhooks.list",
    type: "query",
    audience: "admin",
    schema: webhooksInput.list,
    sample: () => undefined,
  },
  {
    path: "webhooks.register",
    type: "mutation",
    audience: "admin",
    schema: webhooksInput.register,
    sample: () => ({ url: "https://127.0.0.1:9/hooks" }),
  },
  {
    path: "webhooks.setEnabled",
    type: "mutation",
    audience: "admin",
    schema: webhooksInput.setEnabled,
    sample: () => ({ endpointId: nowhere, enabled: false }),
  },
  {
    path: "webhooks.remove",
    type: "mutation",
    audience: "admin",
    schema: webhooksInput.remove,
    sample: () => ({ endpointId: nowhere }),
  },
  ...inboxProcedureCases,
  ...templateProcedureCases,
  ...integrationProcedureCases,
  ...broadcastProcedureCases,
  ...recordsProcedureCases,
  ...emergencyProcedureCases,
];

/** A caller's procedure by its dotted path, for the tests that walk every procedure. */
export function procedureOf(caller: unknown, path: string): (input: unknown) => Promise<unknown> {
  const [area, name] = path.split(".") as [string, string];
  const record = caller as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const procedure = record[area]?.[name];
  if (!procedure) throw new Error(`no procedure ${path}`);
  return procedure;
}
