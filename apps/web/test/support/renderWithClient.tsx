import type { AppRouter } from "@clinic-chat/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import { render } from "@testing-library/react";
import { createTRPCClient } from "@trpc/client";
import type { ReactNode } from "react";
import { TRPCProvider } from "../../src/rpc/trpc";
import { AnnouncerProvider } from "../../src/ui/Announcer";
import { type CallLog, fakeLink, type Handlers } from "./fakeApi";

/** A fresh cache for one test: nothing leaks between tests, and nothing retries. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/**
 * Renders with what the app's components expect around them: a fresh QueryClient, the tRPC
 * provider over a fake API, the live region and, with `route`, a router (for links).
 */
export function renderWithClient(ui: ReactNode, options: { handlers?: Handlers; route?: boolean } = {}) {
  const queryClient = testQueryClient();
  const log: CallLog = { calls: [] };
  const trpcClient = createTRPCClient<AppRouter>({ links: [fakeLink(options.handlers ?? {}, log)] });
  const content = options.route ? <InRouter>{ui}</InRouter> : ui;
  const result = render(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider queryClient={queryClient} trpcClient={trpcClient}>
        <AnnouncerProvider>{content}</AnnouncerProvider>
      </TRPCProvider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient, calls: log.calls };
}

function InRouter({ children }: { children: ReactNode }) {
  const router = createRouter({
    routeTree: createRootRoute({ component: () => children }),
    history: createMemoryHistory({ initialEntries: ["/staff/chat"] }),
  });
  return <RouterProvider router={router} />;
}
