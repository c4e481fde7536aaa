import { useMutation, useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useId } from "react";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText, Loading } from "../ui/Feedback";

/**
 * A patient starts a chat with one of the clinic's practitioners who are available for chat with
 * patients (ELIG-2); the others are simply not offered.
 */
export function StartWithPractitioner() {
  const id = useId();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const practitioners = useQuery(trpc.people.availablePractitioners.queryOptions());
  const start = useMutation(
    trpc.conversations.patientStart.mutationOptions({
      onSuccess: ({ conversation }) =>
        navigate({ to: "/portal/chat/$conversationId", params: { conversationId: conversation.id } }),
    }),
  );
  return (
    <section className="start-practitioner" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Start a chat</h2>
      {practitioners.isPending ? <Loading /> : null}
      {practitioners.isError ? <ErrorText>{errorMessage(practitioners.error)}</ErrorText> : null}
      {practitioners.data?.length === 0 ? (
        <p className="hint">No practitioner is available for chat right now.</p>
      ) : null}
      <ul className="person-list">
        {practitioners.data?.map((person) => (
          <li key={person.id} className="person-list__item">
            <span className="person-list__name">{person.name}</span>
            <button
              type="button"
              className="button button--small"
              disabled={start.isPending}
              onClick={() => start.mutate({ practitionerId: person.id })}
            >
              Start Chat<span className="visually-hidden"> with {person.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <ErrorText>{start.isError ? errorMessage(start.error) : null}</ErrorText>
    </section>
  );
}
