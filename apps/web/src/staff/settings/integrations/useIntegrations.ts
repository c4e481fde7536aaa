import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../../rpc/trpc";

/** Clinic Settings › Integrations (INTEG-1): the credentials, and making and revoking them, each refreshing the list. */
export function useIntegrations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const credentials = useQuery(trpc.integration.credentials.queryOptions());
  const refresh = {
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.integration.credentials.queryKey() }),
  };
  return {
    credentials,
    create: useMutation(trpc.integration.createCredential.mutationOptions(refresh)),
    revoke: useMutation(trpc.integration.revokeCredential.mutationOptions(refresh)),
  };
}
