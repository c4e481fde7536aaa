import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText, Loading } from "../ui/Feedback";
import { usePageTitle } from "../ui/usePageTitle";

/**
 * Where the chat icons of Appointment Details and the Patient File lead (entry points 2 and 3),
 * in a new tab: opens the patient's one conversation, starting it if needed (START-1). The
 * address carries the patient's id only, never a name (SEC-5).
 */
export function StartPatientChatPage({ patientId }: { patientId: string }) {
  usePageTitle("Opening chat");
  const trpc = useTRPC();
  const navigate = useNavigate();
  const start = useMutation(
    trpc.conversations.startWithPatient.mutationOptions({
      onSuccess: ({ conversation }) =>
        navigate({
          to: "/staff/chat/$conversationId",
          params: { conversationId: conversation.id },
          replace: true,
        }),
    }),
  );
  const { mutate } = start;
  useEffect(() => mutate({ patientId }), [mutate, patientId]);
  return (
    <div className="page">
      <h1 tabIndex={-1}>Chat</h1>
      {start.isError ? (
        <>
          <ErrorText>{errorMessage(start.error)}</ErrorText>
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
