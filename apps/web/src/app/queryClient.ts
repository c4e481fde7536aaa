import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isRetryable, isSignedOut } from "../rpc/errors";

/**
 * The app's query cache. Refusals are not retried (they would only be refused again); when the
 * server says the session is over, `onSignedOut` takes the person to the sign-in page, which also
 * clears this cache so nothing of a conversation stays behind (SEC-2).
 */
export function createQueryClient(onSignedOut: () => void = () => {}): QueryClient {
  const handle = (error: unknown) => {
    if (isSignedOut(error)) onSignedOut();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: handle }),
    mutationCache: new MutationCache({ onError: handle }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failures, error) => failures < 3 && isRetryable(error) && !isSignedOut(error),
      },
      mutations: { retry: false },
    },
  });
}
