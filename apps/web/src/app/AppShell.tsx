import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useCallback } from "react";
import { useTRPC } from "../api/trpc";
import type { Audience } from "../auth/audience";
import { useSession } from "../auth/session";
import { useSignOut } from "../auth/useSignOut";
import { IdleWarning } from "../idle/IdleWarning";
import { useIdleLogoff } from "../idle/useIdleLogoff";
import { ConnectionBanner } from "../live/ConnectionBanner";
import { useLiveEvents } from "../live/useLiveEvents";

/**
 * What both signed-in apps share around their pages: live updates with the offline notice,
 * automatic logoff with its warning (SEC-2), and a skip link to the page's content.
 */
export function AppShell({
  audience,
  header,
  nav,
  children,
}: {
  audience: Audience;
  header: (signOut: () => void) => ReactNode;
  nav?: ReactNode;
  children: ReactNode;
}) {
  const me = useSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signOut = useSignOut(audience);
  const idle = useIdleLogoff({
    timeoutMinutes: me.idleTimeoutMinutes,
    onExpired: (why) => void signOut(why === "idle" ? "idle" : "signedOut"),
    keepAlive: () => void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
  });
  const { announceSignOut } = idle;
  const signOutNow = useCallback(() => {
    announceSignOut();
    void signOut("signedOut");
  }, [announceSignOut, signOut]);
  const sessionEnded = useCallback(() => void signOut("ended"), [signOut]);
  const live = useLiveEvents(me.person, sessionEnded);

  return (
    <div className={`app app--${audience}`}>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      {header(signOutNow)}
      <ConnectionBanner status={live} />
      {idle.state.kind === "warning" ? (
        <IdleWarning secondsLeft={idle.state.secondsLeft} onStay={idle.stay} onSignOut={signOutNow} />
      ) : null}
      <div className="app__body">
        {nav}
        <main id="main" className="app__main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
