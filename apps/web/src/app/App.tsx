import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { useState } from "react";
import { nextPathFor } from "../auth/audience";
import { createApiClient, TRPCProvider } from "../rpc/trpc";
import { AnnouncerProvider } from "../ui/Announcer";
import { createQueryClient } from "./queryClient";
import { createAppRouter } from "./routes";

/** Both apps: one query cache, one tRPC client, one router. */
export function App() {
  const [{ queryClient, trpcClient, router }] = useState(() => {
    const router = createAppRouter();
    // The server ended the session (idle, expired, signed out elsewhere): leave for the sign-in page.
    const queryClient = createQueryClient((hadSession) => {
      const { pathname, searchStr } = router.state.location;
      const audience = pathname.startsWith("/portal") ? "patient" : "staff";
      const to = audience === "patient" ? "/portal/sign-in" : "/staff/sign-in";
      if (pathname === to) return;
      // Signing in again brings the person back to the page they were on; someone who never had
      // a session (a link from an email) is not told that it ended.
      const next = nextPathFor(audience, `${pathname}${searchStr}`);
      void router
        .navigate({
          to,
          search: { ...(hadSession ? { reason: "ended" as const } : {}), ...(next ? { next } : {}) },
          replace: true,
        })
        .then(() => queryClient.clear());
    });
    return { queryClient, trpcClient: createApiClient(), router };
  });
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider queryClient={queryClient} trpcClient={trpcClient}>
        <AnnouncerProvider>
          <RouterProvider router={router} />
        </AnnouncerProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
