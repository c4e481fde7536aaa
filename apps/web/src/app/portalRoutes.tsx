import { createRoute, redirect } from "@tanstack/react-router";
import { signInSearchOf } from "../auth/audience";
import { RequireSession } from "../auth/session";
import {
  AcceptInvitationPage,
  ForgotPasswordPage,
  PortalAccountPage,
  PortalChatPage,
  PortalLayout,
  ResetPasswordPage,
  SignInPage,
} from "./pages";
import { root } from "./rootRoute";

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

/** The Patient Portal's routes, under /portal. */
export const portalRoutes = [
  portalSignIn,
  portalForgotPassword,
  portalResetPassword,
  invitation,
  portal.addChildren([portalIndex, portalChat, portalConversation, portalAccount]),
] as const;
