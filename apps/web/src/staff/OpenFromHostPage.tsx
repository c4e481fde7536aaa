import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText, Loading } from "../ui/Feedback";
import { usePageTitle } from "../ui/usePageTitle";

/** What a deep link of the host system names: a patient or an appointment, by the host's `system|value`. */
export type HostLink = { readonly patient?: string; readonly appointment?: string };

/** Reads a deep link's search; anything but one string of each is dropped. */
export function hostLinkOf(search: Record<string, unknown>): HostLink {
  const pick = (value: unknown) => (typeof value === "string" && value.length <= 2000 ? value : undefined);
  const patient = pick(search.patient);
  const appointment = pick(search.appointment);
  return { ...(patient ? { patient } : {}), ...(appointment ? { appointment } : {}) };
}

/**
 * INTEG-3: where the host system's "Chat" icons lead. Finds the patient by the host's id, then
 * opens the chat as the chat icon of the Patient File does (START-1, START-3: nothing the patient
 * sees until someone writes). An unknown or another clinic's id says so like any unknown link.
 */
export function OpenFromHostPage({ link }: { link: HostLink }) {
  usePageTitle("Opening chat");
  const trpc = useTRPC();
  const navigate = useNavigate();
  const find = useMutation(
    trpc.integration.openByHostId.mutationOptions({
      onSuccess: ({ patientId }) =>
        navigate({ to: "/staff/chat/patient/$patientId", params: { patientId }, replace: true }),
    }),
  );
  const { mutate } = find;
  const { patient, appointment } = link;
  useEffect(
    () => mutate({ ...(patient ? { patient } : {}), ...(appointment ? { appointment } : {}) }),
    [mutate, patient, appointment],
  );
  return (
    <div className="page">
      <h1 tabIndex={-1}>Chat</h1>
      {find.isError ? (
        <>
          <ErrorText>{errorMessage(find.error)}</ErrorText>
          <Link to="/staff/chat" className="button">
            Go to Chat
          </Link>
        </>
      ) : (
        <Loading label="Opening the chat…" />
      )}
    </div>
  );
}
