import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { Dialog } from "../ui/Dialog";
import { ErrorText, StatusText } from "../ui/Feedback";
import { usePeopleSearch } from "./usePeopleSearch";

/** Staff add a teammate to a conversation they are in (ELIG-4); the teammate sees its history. */
export function AddTeammate({ conversationId }: { conversationId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--small" onClick={() => setOpen(true)}>
        Add teammate
      </button>
      <Dialog open={open} title="Add a teammate" onClose={() => setOpen(false)}>
        <AddTeammateForm conversationId={conversationId} />
      </Dialog>
    </>
  );
}

function AddTeammateForm({ conversationId }: { conversationId: string }) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const search = usePeopleSearch("staff");
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
          value={search.query}
          onChange={(event) => search.setQuery(event.currentTarget.value)}
        />
      </div>
      <ul className="person-list" aria-label="Teammates found">
        {search.results?.map(({ person }) => (
          <li key={person.id} className="person-list__item">
            <span className="person-list__name">{person.name}</span>
            <button
              type="button"
              className="button button--small"
              disabled={add.isPending || !person.active}
              onClick={() =>
                add.mutate({ conversationId, staffId: person.id }, { onSuccess: () => setAdded(person.name) })
              }
            >
              Add<span className="visually-hidden"> {person.name}</span>
            </button>
          </li>
        ))}
      </ul>
      {search.results?.length === 0 ? <p className="hint">Nobody found with that name.</p> : null}
      {added ? <StatusText>{added} was added to the conversation.</StatusText> : null}
      <ErrorText>{add.isError ? errorMessage(add.error) : null}</ErrorText>
    </div>
  );
}
