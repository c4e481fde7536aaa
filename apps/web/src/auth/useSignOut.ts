import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useCallback } from "react";
import { useTRPCClient } from "../rpc/trpc";
import type { Audience, SignInReason } from "./audience";

/**
 * Signs out and leaves nothing behind (SEC-2): the sign-in page replaces the app first, so the
 * conversation leaves the screen at once, then the query cache is emptied and the server ends the
 * session and clears its cookie. Nothing is kept in web storage to begin with.
 */
export function useSignOut(audience: Audience) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    async (reason: SignInReason = "signedOut") => {
      const to = audience === "staff" ? "/staff/sign-in" : "/portal/sign-in";
      await navigate({ to, search: { reason }, replace: true });
      queryClient.cancelQueries();
      queryClient.clear();
      await client.auth.signOut.mutate({}).catch(() => undefined);
    },
    [audience, client, navigate, queryClient],
  );
}
