import { createRootRoute, createRoute, createRouter, Outlet, redirect } from "@tanstack/react-router";
import { AcceptInvitationPage } from "../auth/AcceptInvitationPage";
import { signInSearchOf } from "../auth/audience";
import { ForgotPasswordPage } from "../auth/ForgotPasswordPage";
import { ResetPasswordPage } from "../auth/ResetPasswordPage";
import { SignInPage } from "../auth/SignInPage";
import { StaffInvitationPage } from "../auth/StaffInvitationPage";
import { RequireSession } from "../auth/session";
import { PortalAccountPage } from "../portal/PortalAccountPage";
import { PortalChatPage } from "../portal/PortalChatPage";
import { PortalLayout } from "../portal/PortalLayout";
import { AccountPage } from "../staff/account/AccountPage";
import { AppointmentDetailsPage } from "../staff/appointments/AppointmentDetailsPage";
import { AppointmentListPage } from "../staff/appointments/AppointmentListPage";
import { BookAppointmentPage } from "../staff/appointments/BookAppointmentPage";
import { AuditTrailPage } from "../staff/audit/AuditTrailPage";
import { ChatPage } from "../staff/ChatPage";
import { AddPatientPage } from "../staff/patients/AddPatientPage";
import { ImportPatientsPage } from "../staff/patients/ImportPatientsPage";
import { PatientFilePage } from "../staff/patients/PatientFilePage";
import { PatientListPage } from "../staff/patients/PatientListPage";
import { StaffLayout } from "../staff/StaffLayout";
import { StartPatientChatPage } from "../staff/StartPatientChatPage";
import { BroadcastsPage } from "../staff/settings/broadcasts/BroadcastsPage";
import { NotificationSettings } from "../staff/settings/NotificationSettings";
import { OfficeHoursSettings } from "../staff/settings/OfficeHoursSettings";
import { PatientPortalSettings } from "../staff/settings/PatientPortalSettings";
import { SecuritySettings } from "../staff/settings/SecuritySettings";
import { TeamSettings } from "../staff/settings/TeamSettings";
import { HomePage } from "./HomePage";
import { NotFoundPage } from "./NotFoundPage";

const root = createRootRoute({ component: Outlet, notFoundComponent: NotFoundPage });

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
  component: function StaffConversation() {
    const { conversationId } = staffConversation.useParams();
    return <ChatPage conversationId={conversationId} />;
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
const broadcastSettings = createRoute({
  getParentRoute: () => staff,
  path: "/settings/broadcasts",
  component: BroadcastsPage,
});
const account = createRoute({ getParentRoute: () => staff, path: "/account", component: AccountPage });
const audit = createRoute({ getParentRoute: () => staff, path: "/audit", component: AuditTrailPage });

// Patient Portal: /portal/…
const portalSignIn = createRoute({
  getParentRoute: () => root,
  path: "/portal/sign-in",
  validateSearch: signInSearchOf("patient"),
  component: function PortalSignIn() {
    const { reason, next } = portalSignIn.useSearch();
    return <SignInPage audience="patient" reason={reason} next={next} />;
  },
});
const portalForgotPassword = createRoute({
  getParentRoute: () => root,
  path: "/portal/forgot-password",
  validateSearch: signInSearchOf("patient"),
  component: function PortalForgotPassword() {
    const { next } = portalForgotPassword.useSearch();
    return <ForgotPasswordPage audience="patient" next={next} />;
  },
});
const portalResetPassword = createRoute({
  getParentRoute: () => root,
  path: "/portal/reset-password",
  validateSearch: signInSearchOf("patient"),
  component: function PortalResetPassword() {
    const { next } = portalResetPassword.useSearch();
    return <ResetPasswordPage audience="patient" next={next} />;
  },
});
const invitation = createRoute({
  getParentRoute: () => root,
  path: "/portal/invitation",
  component: AcceptInvitationPage,
});
const portal = createRoute({
  getParentRoute: () => root,
  path: "/portal",
  component: () => (
    <RequireSession audience="patient">
      <PortalLayout />
    </RequireSession>
  ),
});
const portalIndex = createRoute({
  getParentRoute: () => portal,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/portal/chat", replace: true });
  },
});
const portalChat = createRoute({
  getParentRoute: () => portal,
  path: "/chat",
  component: () => <PortalChatPage />,
});
const portalConversation = createRoute({
  getParentRoute: () => portal,
  path: "/chat/$conversationId",
  component: function PortalConversation() {
    const { conversationId } = portalConversation.useParams();
    return <PortalChatPage conversationId={conversationId} />;
  },
});

const portalAccount = createRoute({
  getParentRoute: () => portal,
  path: "/account",
  component: PortalAccountPage,
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
    broadcastSettings,
    account,
    audit,
  ]),
  portalSignIn,
  portalForgotPassword,
  portalResetPassword,
  invitation,
  portal.addChildren([portalIndex, portalChat, portalConversation, portalAccount]),
]);

/** The one router of both apps. */
export function createAppRouter() {
  return createRouter({ routeTree, defaultPreload: false, scrollRestoration: false });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
