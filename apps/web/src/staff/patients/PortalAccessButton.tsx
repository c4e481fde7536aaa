import { useMutation } from "@tanstack/react-query";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText } from "../../ui/Feedback";

/**
 * Disable or re-enable a patient's Patient Portal account (ADMIN-3, ELIG-6). Disabling signs the
 * patient out everywhere at once; their messages stay in their conversations.
 */
export function PortalAccessButton({
  patientId,
  portalAccount,
  onChanged,
}: {
  patientId: string;
  portalAccount: string;
  onChanged: () => unknown;
}) {
  const trpc = useTRPC();
  const change = useMutation(trpc.patients.setPortalAccess.mutationOptions({ onSuccess: onChanged }));
  if (portalAccount !== "active" && portalAccount !== "disabled") return null;
  const enabled = portalAccount === "disabled";
  return (
    <>
      <button
        type="button"
        className={`button button--small details__inline-action${enabled ? "" : " button--danger"}`}
        disabled={change.isPending}
        onClick={() => {
          if (
            enabled ||
            window.confirm("Disable this patient's Patient Portal account? They are signed out at once.")
          )
            change.mutate({ patientId, enabled });
        }}
      >
        {enabled ? "Re-enable portal account" : "Disable portal account"}
      </button>
      <ErrorText>{change.isError ? errorMessage(change.error) : null}</ErrorText>
    </>
  );
}
