import { useMutation, useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { domainCodeOf, errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText, Loading } from "../ui/Feedback";

/**
 * A patient starts a chat with one of the clinic's practitioners who are available for chat with
 * patients (ELIG-2); the others are simply not offered. The offer follows availability live
 * (ENT-4); when a patient still taps someone who just became unavailable, they are told so in
 * words and the offer is loaded again.
 */
export function StartWithPractitioner() {
  const id = useId();
  const trpc = useTRPC();
  const navigate = useNavigate();
  // The name of whom they tapped: the refreshed offer may no longer have it.
  const [tapped, setTapped] = useState<string | null>(null);
  const practitioners = useQuery(trpc.people.availablePractitioners.queryOptions());
  const start = useMutation(
    trpc.conversations.patientStart.mutationOptions({
      onSuccess: ({ conversation }) =>
        navigate({ to: "/portal/chat/$conversationId", params: { conversationId: conversation.id } }),
      onError: () => void practitioners.refetch(),
    }),
  );
  const failure = !start.isError
    ? null
    : domainCodeOf(start.error) === "NOT_FOUND"
      ? `${tapped ?? "This practitioner"} isn't available for chat right now. Choose someone else, or try again later.`
      : errorMessage(start.error);
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
              onClick={() => {
                setTapped(person.name);
                start.mutate({ practitionerId: person.id });
              }}
            >
              Start Chat<span className="visually-hidden"> with {person.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <ErrorText>{failure}</ErrorText>
    </section>
  );
}
