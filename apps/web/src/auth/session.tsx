import { useQuery } from "@tanstack/react-query";
import { Navigate, useRouter } from "@tanstack/react-router";
import { createContext, type ReactNode, useContext } from "react";
import { errorMessage, isSignedOut } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import type { Me } from "../rpc/types";
import { ErrorText, Loading } from "../ui/Feedback";
import { type Audience, nextPathFor } from "./audience";

const SessionContext = createContext<Me | null>(null);

/** The signed-in person of the app being shown; only inside {@link RequireSession}. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error("useSession outside RequireSession");
  return me;
}

/**
 * Shows its children only to someone signed in to this app; anyone else goes to its sign-in page,
 * which brings them back to this page afterwards (its path and query carry ids, never names).
 * A patient's session does not open the staff app, nor the reverse.
 */
export function RequireSession({ audience, children }: { audience: Audience; children: ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000, retry: false }));
  const signIn = audience === "staff" ? "/staff/sign-in" : "/portal/sign-in";
  // Read, not subscribed to: a subscription would render again as the redirect moves the
  // location, and each render of <Navigate> navigates again.
  const { location } = useRouter().state;
  const next = nextPathFor(audience, `${location.pathname}${location.searchStr}`);
  const search = next ? { next } : {};
  if (me.isPending) return <Loading />;
  if (me.isError) {
    if (isSignedOut(me.error)) return <Navigate to={signIn} search={search} replace />;
    return (
      <main className="page page--narrow">
        <ErrorText>{errorMessage(me.error)}</ErrorText>
        <button type="button" className="button" onClick={() => me.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  if (me.data.person.kind !== audience) return <Navigate to={signIn} search={search} replace />;
  return <SessionContext.Provider value={me.data}>{children}</SessionContext.Provider>;
}
