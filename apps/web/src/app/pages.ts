import { lazyRouteComponent } from "@tanstack/react-router";

// Every page loads with its route: the first visit downloads the router and the page it opens
// (staff, portal or sign-in), not the other apps' pages. Each is one chunk, named by its module.

// Sign-in and accounts, before any session.
export const SignInPage = lazyRouteComponent(() => import("../auth/SignInPage"), "SignInPage");
export const ForgotPasswordPage = lazyRouteComponent(
  () => import("../auth/ForgotPasswordPage"),
  "ForgotPasswordPage",
);
export const ResetPasswordPage = lazyRouteComponent(
  () => import("../auth/ResetPasswordPage"),
  "ResetPasswordPage",
);
export const StaffInvitationPage = lazyRouteComponent(
  () => import("../auth/StaffInvitationPage"),
  "StaffInvitationPage",
);
export const AcceptInvitationPage = lazyRouteComponent(
  () => import("../auth/AcceptInvitationPage"),
  "AcceptInvitationPage",
);

// Staff app.
export const StaffLayout = lazyRouteComponent(() => import("../staff/StaffLayout"), "StaffLayout");
export const ChatPage = lazyRouteComponent(() => import("../staff/ChatPage"), "ChatPage");
export const StartPatientChatPage = lazyRouteComponent(
  () => import("../staff/StartPatientChatPage"),
  "StartPatientChatPage",
);
export const AppointmentListPage = lazyRouteComponent(
  () => import("../staff/appointments/AppointmentListPage"),
  "AppointmentListPage",
);
export const BookAppointmentPage = lazyRouteComponent(
  () => import("../staff/appointments/BookAppointmentPage"),
  "BookAppointmentPage",
);
export const AppointmentDetailsPage = lazyRouteComponent(
  () => import("../staff/appointments/AppointmentDetailsPage"),
  "AppointmentDetailsPage",
);
export const PatientListPage = lazyRouteComponent(
  () => import("../staff/patients/PatientListPage"),
  "PatientListPage",
);
export const AddPatientPage = lazyRouteComponent(
  () => import("../staff/patients/AddPatientPage"),
  "AddPatientPage",
);
export const ImportPatientsPage = lazyRouteComponent(
  () => import("../staff/patients/ImportPatientsPage"),
  "ImportPatientsPage",
);
export const PatientFilePage = lazyRouteComponent(
  () => import("../staff/patients/PatientFilePage"),
  "PatientFilePage",
);
export const PatientPortalSettings = lazyRouteComponent(
  () => import("../staff/settings/PatientPortalSettings"),
  "PatientPortalSettings",
);
export const NotificationSettings = lazyRouteComponent(
  () => import("../staff/settings/NotificationSettings"),
  "NotificationSettings",
);
export const OfficeHoursSettings = lazyRouteComponent(
  () => import("../staff/settings/OfficeHoursSettings"),
  "OfficeHoursSettings",
);
export const SecuritySettings = lazyRouteComponent(
  () => import("../staff/settings/SecuritySettings"),
  "SecuritySettings",
);
export const TeamSettings = lazyRouteComponent(
  () => import("../staff/settings/TeamSettings"),
  "TeamSettings",
);
export const AccountPage = lazyRouteComponent(() => import("../staff/account/AccountPage"), "AccountPage");
export const AuditTrailPage = lazyRouteComponent(
  () => import("../staff/audit/AuditTrailPage"),
  "AuditTrailPage",
);
export const EmergencyAccessPage = lazyRouteComponent(
  () => import("../staff/emergency/EmergencyAccessPage"),
  "EmergencyAccessPage",
);

// Patient Portal.
export const PortalLayout = lazyRouteComponent(() => import("../portal/PortalLayout"), "PortalLayout");
export const PortalChatPage = lazyRouteComponent(() => import("../portal/PortalChatPage"), "PortalChatPage");
export const PortalAccountPage = lazyRouteComponent(
  () => import("../portal/PortalAccountPage"),
  "PortalAccountPage",
);
export const TemplateSettings = lazyRouteComponent(
  () => import("../staff/settings/TemplateSettings"),
  "TemplateSettings",
);
export const WebhookSettings = lazyRouteComponent(
  () => import("../staff/settings/webhooks/WebhookSettings"),
  "WebhookSettings",
);
export const IntegrationsPage = lazyRouteComponent(
  () => import("../staff/settings/integrations/IntegrationsPage"),
  "IntegrationsPage",
);
export const RecordsSettings = lazyRouteComponent(
  () => import("../staff/settings/RecordsSettings"),
  "RecordsSettings",
);
export const BroadcastsPage = lazyRouteComponent(
  () => import("../staff/settings/broadcasts/BroadcastsPage"),
  "BroadcastsPage",
);
