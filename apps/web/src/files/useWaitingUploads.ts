import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useTRPC, useTRPCClient } from "../rpc/trpc";
import type { Upload } from "./useUploads";

/** How often the page asks again while some of the sender's files are still being checked. */
const waitingPollMs = 2000;

/**
 * FILE-8 with FILE-6: the sender's own files still being checked that this page did not start
 * (it was loaded again, or another tab sent them), so they stay visible as "checking" and can be
 * cancelled. Files this page is sending itself (`ownClientIds`) are left to its own tray.
 */
export function useWaitingUploads(conversationId: string, ownClientIds: ReadonlySet<string>) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const options = trpc.files.inProgress.queryOptions({ conversationId });
  const waiting = useQuery({
    ...options,
    refetchInterval: (query) => ((query.state.data?.length ?? 0) > 0 ? waitingPollMs : false),
  });
  const uploads = useMemo<Upload[]>(
    () =>
      (waiting.data ?? [])
        .filter((file) => !ownClientIds.has(file.clientId))
        .map((file) => ({
          clientId: file.clientId,
          fileName: file.name,
          sizeBytes: file.sizeBytes,
          status: "scanning",
          progress: 1,
          error: null,
          canRetry: false,
        })),
    [waiting.data, ownClientIds],
  );
  const cancel = useCallback(
    async (clientId: string) => {
      const file = waiting.data?.find((f) => f.clientId === clientId);
      if (!file) return;
      await client.files.cancelUpload.mutate({ fileId: file.fileId }).catch(() => undefined);
      await queryClient.invalidateQueries({ queryKey: options.queryKey });
    },
    [client, queryClient, waiting.data, options.queryKey],
  );
  return { uploads, cancel };
}
