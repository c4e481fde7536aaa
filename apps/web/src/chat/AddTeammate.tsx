import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { Dialog } from "../ui/Dialog";
import { ErrorText, StatusText } from "../ui/Feedback";
import { useTeammates } from "./useTeammates";

/**
 * Staff add a teammate to a conversation they are in (ELIG-4); the teammate sees its history. The
 * team shows before anything is typed and narrows by any part of a name; people already in the
 * conversation are marked so rather than offered.
 */
export function AddTeammate({
  conversationId,
  participantIds,
}: {
  conversationId: string;
  /** Staff ids already in the conversation. */
  participantIds: readonly string[];
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--small" onClick={() => setOpen(true)}>
        Add teammate
      </button>
      <Dialog open={open} title="Add a teammate" onClose={() => setOpen(false)}>
        <AddTeammateForm conversationId={conversationId} participantIds={participantIds} />
      </Dialog>
    </>
  );
}

function AddTeammateForm({
  conversationId,
  participantIds,
}: {
  conversationId: string;
  participantIds: readonly string[];
}) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const team = useTeammates(query);
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation(
    trpc.conversations.addParticipant.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.conversations.open.queryKey({ conversationId }) }),
    }),
  );
  return (
    <div className="form">
      <div className="field">
        <label htmlFor={`${id}-q`}>Search teammates by name</label>
        <input
          id={`${id}-q`}
          type="search"
          autoComplete="off"
          value={query}
          maxLength={100}
          onChange={(event) => setQuery(event.currentTarget.value)}
        />
      </div>
      <ul className="person-list" aria-label={query.trim() ? "Teammates found" : "Your team"}>
        {team.results?.map(({ person }) => (
          <li key={person.id} className="person-list__item">
            <span className="person-list__name">{person.name}</span>
            {participantIds.includes(person.id) ? (
              <span className="hint">In this conversation</span>
            ) : (
              <button
                type="button"
                className="button button--small"
                disabled={add.isPending || !person.active}
                onClick={() =>
                  add.mutate(
                    { conversationId, staffId: person.id },
                    {
                      onSuccess: ({ added: joined }) =>
                        setAdded(
                          joined
                            ? `${person.name} was added to the conversation.`
                            : `${person.name} is already in the conversation.`,
                        ),
                    },
                  )
                }
              >
                Add<span className="visually-hidden"> {person.name}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {team.results?.length === 0 ? (
        <p className="hint">{query.trim() ? "Nobody found with that name." : "No teammates yet."}</p>
      ) : null}
      {added ? <StatusText>{added}</StatusText> : null}
      <ErrorText>{team.error ? errorMessage(team.error) : null}</ErrorText>
      <ErrorText>{add.isError ? errorMessage(add.error) : null}</ErrorText>
    </div>
  );
}
