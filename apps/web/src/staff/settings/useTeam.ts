import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../rpc/trpc";

/** Role names as the clinic says them. */
export const roleNames = { admin: "Admin", practitioner: "Practitioner", staff: "Front desk" } as const;
/** The roles, most powerful first. */
export const roles = ["admin", "practitioner", "staff"] as const;

/** Clinic Settings › Team (ADMIN-2): the list, and every admin action, each refreshing the list. */
export function useTeam() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const team = useQuery(trpc.team.list.queryOptions());
  const refresh = { onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.team.list.queryKey() }) };
  return {
    team,
    invite: useMutation(trpc.team.invite.mutationOptions(refresh)),
    resend: useMutation(trpc.team.resendInvitation.mutationOptions(refresh)),
    revoke: useMutation(trpc.team.revokeInvitation.mutationOptions(refresh)),
    changeRole: useMutation(trpc.team.changeRole.mutationOptions(refresh)),
    deactivate: useMutation(trpc.team.deactivate.mutationOptions(refresh)),
    reactivate: useMutation(trpc.team.reactivate.mutationOptions(refresh)),
    resetSecondFactor: useMutation(trpc.team.resetSecondFactor.mutationOptions(refresh)),
  };
}

/** A moment as the team list shows it, in the viewer's own time zone. */
export function shortDateTime(iso: string | null): string {
  if (!iso) return "Never";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}
