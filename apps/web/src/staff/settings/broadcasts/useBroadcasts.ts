import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../../rpc/trpc";
import type { Inputs, Outputs } from "../../../rpc/types";

/** Who a broadcast goes to, as the API takes it. */
export type Audience = Inputs["broadcasts"]["send"]["audience"];
/** A broadcast as the list and the report show it. */
export type BroadcastSummary = Outputs["broadcasts"]["list"][number];

/** Words for each recipient status and each broadcast state. */
export const statusWords = {
  waiting: "Waiting",
  sent: "Sent",
  skipped: "Skipped",
  failed: "Failed",
  cancelled: "Cancelled",
} as const;
export const stateWords = {
  scheduled: "Scheduled",
  sending: "Sending",
  done: "Done",
  cancelled: "Cancelled",
} as const;

/** Why a patient is skipped, in the clinic's words (the reasons are the domain's codes). */
export function reasonWords(reason: string | null): string {
  switch (reason) {
    case null:
      return "";
    case "PATIENT_PORTAL_INACTIVE":
      return "No active Patient Portal account";
    case "PATIENT_CHAT_OFF":
      return "Patient chat is switched off";
    case "PLAN_REQUIRED":
      return "Not included in the clinic's plan";
    case "SETTING_OFF":
      return "Switched off in Clinic Settings";
    case "NOT_FOUND":
      return "No longer a patient of the clinic";
    default:
      return "Could not be sent";
  }
}

/** Clinic Settings › Broadcasts (BCAST-1): the list, preview, send, cancel; each refreshing the list. */
export function useBroadcasts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({
    ...trpc.broadcasts.list.queryOptions(),
    // Progress is live while something is going out.
    refetchInterval: (query) =>
      query.state.data?.some((b) => b.state === "sending" || b.state === "scheduled") ? 1000 : false,
  });
  const refresh = {
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.broadcasts.pathKey() }),
  };
  return {
    list,
    preview: useMutation(trpc.broadcasts.preview.mutationOptions()),
    send: useMutation(trpc.broadcasts.send.mutationOptions(refresh)),
    cancel: useMutation(trpc.broadcasts.cancel.mutationOptions(refresh)),
  };
}

/** One broadcast's report page by page, refreshed every second while it is going out. */
export function useBroadcastReport(broadcastId: string, status: keyof typeof statusWords | null) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.broadcasts.report.queryOptions({ broadcastId, limit: 100, ...(status ? { status } : {}) }),
    refetchInterval: (query) => {
      const state = query.state.data?.broadcast.state;
      return state === "sending" || state === "scheduled" ? 1000 : false;
    },
  });
}
