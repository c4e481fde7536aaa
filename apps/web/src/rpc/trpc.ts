import type { AppRouter } from "@clinic-chat/api";
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCLink,
} from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";

/** The typed tRPC hooks of both apps; the router's type is all that crosses from the API. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The typed client, as the provider holds it. */
export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/**
 * Live updates travel over SSE (EventSource reconnects by itself and resends the last tracked
 * id, so nothing is missed, MSG-2; the server's first frame tells the link to take twice its
 * heartbeat of silence for a lost link and reconnect the same way); everything else goes in
 * small batches. The session rides in
 * its httpOnly cookie, which the browser adds to these same-origin requests.
 */
export function apiLinks(baseUrl = "/trpc"): TRPCLink<AppRouter>[] {
  return [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url: baseUrl }),
      // The server refuses batches of more than 20 calls.
      false: httpBatchLink({ url: baseUrl, maxItems: 10 }),
    }),
  ];
}

/** The client of the running app. */
export function createApiClient(links: TRPCLink<AppRouter>[] = apiLinks()): ApiClient {
  return createTRPCClient<AppRouter>({ links });
}
