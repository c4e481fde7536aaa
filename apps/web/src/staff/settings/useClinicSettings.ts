import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../rpc/trpc";
import type { Inputs } from "../../rpc/types";

/** A change to the clinic's settings, as `clinic.changeSettings` takes it. */
export type SettingsChange = Inputs["clinic"]["changeSettings"];

/** The clinic's plan, settings and entitlements, and the admin's way to change the settings (ENT-1, ENT-2). */
export function useClinicSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const clinic = useQuery(trpc.clinic.entitlements.queryOptions());
  const change = useMutation(
    trpc.clinic.changeSettings.mutationOptions({
      // The idle timeout lives in the settings too: the logoff timer reads it from auth.me (SEC-2).
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.clinic.entitlements.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
        ]),
    }),
  );
  return { clinic, change };
}

/** The plans' names as the clinic's contract spells them. */
export const planNames: Readonly<Record<string, string>> = {
  starter: "Starter",
  enhanced: "Enhanced",
  premium: "Premium",
};
