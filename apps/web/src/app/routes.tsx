import { createRoute, createRouter, redirect } from "@tanstack/react-router";
import { signInSearchOf } from "../auth/audience";
import { RequireSession } from "../auth/session";
import { hostLinkOf, OpenFromHostPage } from "../staff/OpenFromHostPage";
import { Loading } from "../ui/Feedback";
import { HomePage } from "./HomePage";
import {
  AccountPage,
  AddPatientPage,
  AppointmentDetailsPage,
  AppointmentListPage,
  AuditTrailPage,
  BookAppointmentPage,
  BroadcastsPage,
  ChatPage,
  EmergencyAccessPage,
  ForgotPasswordPage,
  ImportPatientsPage,
  IntegrationsPage,
  NotificationSettings,
  OfficeHoursSettings,
  PatientFilePage,
  PatientListPage,
  PatientPortalSettings,
  RecordsSettings,
  ResetPasswordPage,
  SecuritySettings,
  SignInPage,
  StaffInvitationPage,
  StaffLayout,
  StartPatientChatPage,
  TeamSettings,
  TemplateSettings,
  WebhookSettings,
} from "./pages";
import { portalRoutes } from "./portalRoutes";
import { root } from "./rootRoute";

const home = createRoute({ getParentRoute: () => root, path: "/", component: HomePage });

// Staff app: /staff/…
const staffSignIn = createRoute({
  getParentRoute: () => root,
  path: "/staff/sign-in",
  validateSearch: signInSearchOf("staff"),
  component: function StaffSignIn() {
    const { reason, next } = staffSignIn.useSearch();
    return <SignInPage audience="staff" reason={reason} next={next} />;
  },
});
const staffForgotPassword = createRoute({
  getParentRoute: () => root,
  path: "/staff/forgot-password",
  validateSearch: signInSearchOf("staff"),
  component: function StaffForgotPassword() {
    const { next } = staffForgotPassword.useSearch();
    return <ForgotPasswordPage audience="staff" next={next} />;
  },
});
const staffResetPassword = createRoute({
  getParentRoute: () => root,
  path: "/staff/reset-password",
  validateSearch: signInSearchOf("staff"),
  component: function StaffResetPassword() {
    const { next } = staffResetPassword.useSearch();
    return <ResetPasswordPage audience="staff" next={next} />;
  },
});
// ADMIN-2: a staff invitation's link, before any session.
const staffInvitation = createRoute({
  getParentRoute: () => root,
  path: "/staff/invitation",
  component: StaffInvitationPage,
});
const staff = createRoute({
  getParentRoute: () => root,
  path: "/staff",
  component: () => (
    <RequireSession audience="staff">
      <StaffLayout />
    </RequireSession>
  ),
});
const staffIndex = createRoute({
  getParentRoute: () => staff,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/staff/chat", replace: true });
  },
});
const staffChat = createRoute({ getParentRoute: () => staff, path: "/chat", component: () => <ChatPage /> });
const staffConversation = createRoute({
  getParentRoute: () => staff,
  path: "/chat/$conversationId",
  // SRCH-1: a search hit opens its conversation at the message (ids and numbers only, never words).
  validateSearch: (search: Record<string, unknown>): { message?: string; seq?: number } => ({
    ...(typeof search.message === "string" ? { message: search.message } : {}),
    ...(typeof search.seq === "number" ? { seq: search.seq } : {}),
  }),
  component: function StaffConversation() {
    const { conversationId } = staffConversation.useParams();
    const { message, seq } = staffConversation.useSearch();
    return (
      <ChatPage
        conversationId={conversationId}
        jumpTo={message && seq ? { messageId: message, seq } : undefined}
      />
    );
  },
});
const staffChatWithPatient = createRoute({
  getParentRoute: () => staff,
  path: "/chat/patient/$patientId",
  component: function StaffChatWithPatient() {
    const { patientId } = staffChatWithPatient.useParams();
    return <StartPatientChatPage patientId={patientId} />;
  },
});
// INTEG-3: the host system's "Chat" icons.
const openFromHost = createRoute({
  getParentRoute: () => staff,
  path: "/open",
  validateSearch: hostLinkOf,
  component: function OpenFromHost() {
    return <OpenFromHostPage link={openFromHost.useSearch()} />;
  },
});
const appointments = createRoute({
  getParentRoute: () => staff,
  path: "/appointments",
  component: AppointmentListPage,
});
const bookAppointment = createRoute({
  getParentRoute: () => staff,
  path: "/appointments/new",
  validateSearch: (search: Record<string, unknown>): { patientId?: string } =>
    typeof search.patientId === "string" ? { patientId: search.patientId } : {},
  component: function BookAppointment() {
    const { patientId } = bookAppointment.useSearch();
    return <BookAppointmentPage patientId={patientId} />;
  },
});
const appointment = createRoute({
  getParentRoute: () => staff,
  path: "/appointments/$appointmentId",
  component: function Appointment() {
    const { appointmentId } = appointment.useParams();
    return <AppointmentDetailsPage appointmentId={appointmentId} />;
  },
});
const patients = createRoute({ getParentRoute: () => staff, path: "/patients", component: PatientListPage });
const addPatient = createRoute({
  getParentRoute: () => staff,
  path: "/patients/new",
  component: AddPatientPage,
});
const importPatients = createRoute({
  getParentRoute: () => staff,
  path: "/patients/import",
  component: ImportPatientsPage,
});
const patient = createRoute({
  getParentRoute: () => staff,
  path: "/patients/$patientId",
  component: function Patient() {
    const { patientId } = patient.useParams();
    return <PatientFilePage patientId={patientId} />;
  },
});
const portalSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/patient-portal",
  component: PatientPortalSettings,
});
const notificationSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/notifications",
  component: NotificationSettings,
});
const officeHoursSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/office-hours",
  component: OfficeHoursSettings,
});
const securitySettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/security",
  component: SecuritySettings,
});
const teamSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/team",
  component: TeamSettings,
});
const webhookSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/webhooks",
  component: WebhookSettings,
});
const templateSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/templates",
  component: TemplateSettings,
});
const integrationsSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/integrations",
  component: IntegrationsPage,
});
const broadcastSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/broadcasts",
  component: BroadcastsPage,
});
const recordsSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/records",
  component: RecordsSettings,
});
const account = createRoute({ getParentRoute: () => staff, path: "/account", component: AccountPage });
const audit = createRoute({
  getParentRoute: () => staff,
  path: "/audit",
  // REC-6: the trail opens filtered from a Patient File; ids only, never names, in the address.
  validateSearch: (search: Record<string, unknown>): { patient?: string } =>
    typeof search.patient === "string" ? { patient: search.patient } : {},
  component: function Audit() {
    const { patient } = audit.useSearch();
    return <AuditTrailPage patientId={patient ?? null} />;
  },
});
// REC-7: an admin's emergency access to a conversation they are not part of.
const emergency = createRoute({
  getParentRoute: () => staff,
  path: "/emergency/$conversationId",
  component: function Emergency() {
    const { conversationId } = emergency.useParams();
    return <EmergencyAccessPage conversationId={conversationId} />;
  },
});

const routeTree = root.addChildren([
  home,
  staffSignIn,
  staffForgotPassword,
  staffResetPassword,
  staffInvitation,
  staff.addChildren([
    staffIndex,
    staffChat,
    staffConversation,
    staffChatWithPatient,
    openFromHost,
    appointments,
    bookAppointment,
    appointment,
    patients,
    addPatient,
    importPatients,
    patient,
    portalSettings,
    notificationSettings,
    securitySettings,
    officeHoursSettings,
    teamSettings,
    webhookSettings,
    templateSettings,
    integrationsSettings,
    broadcastSettings,
    recordsSettings,
    account,
    audit,
    emergency,
  ]),
  ...portalRoutes,
]);

/** The one router of both apps. */
export function createAppRouter() {
  return createRouter({
    routeTree,
    defaultPreload: false,
    scrollRestoration: false,
    // Pages load with their route (./pages): each match waits for its chunk in a boundary of its own.
    defaultPendingComponent: PageLoading,
  });
}

function PageLoading() {
  return <Loading label="Loading…" />;
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
