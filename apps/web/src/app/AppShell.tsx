import { useQueryClient } from "@tanstack/react-query";
import { useRouterState } from "@tanstack/react-router";
import { type ReactNode, useCallback, useEffect, useRef } from "react";
import type { Audience } from "../auth/audience";
import { useSession } from "../auth/session";
import { useSignOut } from "../auth/useSignOut";
import { IdleWarning } from "../idle/IdleWarning";
import { useIdleLogoff } from "../idle/useIdleLogoff";
import { ConnectionBanner } from "../live/ConnectionBanner";
import { useLiveEvents } from "../live/useLiveEvents";
import { useTRPC } from "../rpc/trpc";
import { useAnnounce } from "../ui/Announcer";

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
  useAnnouncePageChanges();

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

/**
 * A single-page app changes pages without the browser saying so: screen reader users hear the
 * new page's name (the tab title, which never holds PHI) after each navigation.
 */
function useAnnouncePageChanges() {
  const announce = useAnnounce();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // Pages name the tab in their own effects, which run before this one.
    announce(document.title.replace(/ · Clinic Chat$/, ""));
  }, [pathname]);
}
