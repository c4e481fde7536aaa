import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isRetryable, isSignedOut } from "../rpc/errors";

/** True for the query of the signed-in person (`auth.me`), whose success means a session existed. */
function isWhoAmI(queryKey: readonly unknown[]): boolean {
  const path = queryKey[0];
  return Array.isArray(path) && path.length === 2 && path[0] === "auth" && path[1] === "me";
}

/**
 * The app's query cache. Refusals are not retried (they would only be refused again); when the
 * server says the session is over, `onSignedOut` takes the person to the sign-in page, which also
 * clears this cache so nothing of a conversation stays behind (SEC-2). It is told whether this
 * page ever had a session: someone who was never signed in (a link from an email) is not told
 * that their session ended.
 */
export function createQueryClient(onSignedOut: (hadSession: boolean) => void = () => {}): QueryClient {
  let hadSession = false;
  const handle = (error: unknown) => {
    if (isSignedOut(error)) onSignedOut(hadSession);
  };
  return new QueryClient({
    queryCache: new QueryCache({
      onError: handle,
      onSuccess: (_data, query) => {
        if (isWhoAmI(query.queryKey)) hadSession = true;
      },
    }),
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
