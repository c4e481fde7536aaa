import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../../rpc/trpc";

/** Clinic Settings › Webhooks (INTEG-4): the endpoints with their logs, and every admin action. */
export function useWebhooks() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery({ ...trpc.webhooks.list.queryOptions(), refetchInterval: 5_000 });
  const refresh = {
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() }),
  };
  return {
    endpoints,
    register: useMutation(trpc.webhooks.register.mutationOptions(refresh)),
    setEnabled: useMutation(trpc.webhooks.setEnabled.mutationOptions(refresh)),
    remove: useMutation(trpc.webhooks.remove.mutationOptions(refresh)),
  };
}

/** What a delivery's state says to an admin. */
export const deliveryStatusNames = {
  pending: "Waiting to be retried",
  delivered: "Delivered",
  failed: "Given up",
} as const;

/** The event types as an admin reads them. */
export const eventTypeNames: Readonly<Record<string, string>> = {
  "unread_count.changed": "Unread count changed",
  "conversation.started": "Conversation started",
  "conversation.closed": "Conversation closed",
  "conversation.assigned": "Conversation assigned",
};
