import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { useState } from "react";
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
      const path = router.state.location.pathname;
      const to = path.startsWith("/portal") ? "/portal/sign-in" : "/staff/sign-in";
      if (path === to) return;
      void router
        .navigate({ to, search: hadSession ? { reason: "ended" } : {}, replace: true })
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
