import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { Dialog } from "../ui/Dialog";
import { ErrorText } from "../ui/Feedback";
import { conversationListKey } from "./useConversations";

/** As the domain keeps them (`maxConversationNameLength`): the server decides, this only stops typing there. */
const maxNameLength = 60;

/**
 * A staff participant names or renames a Team Chat; an empty name takes it away, and the title
 * falls back to the participants' names. The others see the new name live.
 */
export function RenameConversation({
  conversationId,
  name,
}: {
  conversationId: string;
  name: string | null;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--small" onClick={() => setOpen(true)}>
        {name ? "Rename" : "Name"}
        <span className="visually-hidden"> this conversation</span>
      </button>
      <Dialog
        open={open}
        title={name ? "Rename the conversation" : "Name the conversation"}
        onClose={() => setOpen(false)}
      >
        <RenameForm conversationId={conversationId} name={name} onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function RenameForm({
  conversationId,
  name,
  onDone,
}: {
  conversationId: string;
  name: string | null;
  onDone: () => void;
}) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(name ?? "");
  const rename = useMutation(
    trpc.conversations.rename.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.conversations.open.queryKey({ conversationId }) }),
          queryClient.invalidateQueries({ queryKey: conversationListKey }),
          queryClient.invalidateQueries({ queryKey: trpc.inbox.timeline.queryKey({ conversationId }) }),
        ]);
        onDone();
      },
    }),
  );
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        rename.mutate({ conversationId, name: value });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Conversation name</label>
        <input
          id={`${id}-name`}
          type="text"
          autoComplete="off"
          value={value}
          maxLength={maxNameLength}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setValue(event.currentTarget.value)}
        />
        <p className="hint" id={`${id}-hint`}>
          Up to {maxNameLength} characters. Leave it empty to show the participants' names.
        </p>
      </div>
      <ErrorText>{rename.isError ? errorMessage(rename.error) : null}</ErrorText>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={rename.isPending}>
          Save name
        </button>
      </div>
    </form>
  );
}
