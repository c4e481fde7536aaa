import { useMutation, useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, type ReactNode, useId, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText } from "../../ui/Feedback";
import { TemplatePicker } from "./TemplatePicker";

/** What the composer hooks in: the text box's ARIA and keys, the picker, and the marks still to edit. */
export interface TemplateInsertion {
  /** Props for the composer's text box: it controls the listbox while the picker is open. */
  readonly textboxProps: {
    readonly "aria-controls"?: string;
    readonly "aria-activedescendant"?: string;
    readonly "aria-autocomplete": "list";
  };
  /** Handles the picker's keys; true when the key was the picker's. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** The picker (and a failed fill's sentence), shown above the text box. */
  readonly picker: ReactNode;
  /** Marks of missing values still in the text (TPL-1): sending waits until none is left. */
  readonly marksLeft: readonly string[];
  /** Forgets the marks once the text is sent or scheduled. */
  reset(): void;
}

/**
 * TPL-1: `/` typed at the start of the composer opens the reply templates, filtered by what
 * follows it; arrow keys move, Enter or Tab inserts, Escape closes. The chosen template comes
 * back filled for this conversation; a value it lacks stays marked in the text and blocks sending
 * until edited. The filled text is PHI: it lives in the composer only.
 */
export function useTemplatePicker(
  conversationId: string | null,
  text: string,
  setText: (text: string) => void,
): TemplateInsertion {
  const trpc = useTRPC();
  const listId = useId();
  const [active, setActive] = useState(0);
  const [closedFor, setClosedFor] = useState<string | null>(null);
  const [missing, setMissing] = useState<readonly string[]>([]);
  const typing = conversationId !== null && text.startsWith("/") && !text.includes("\n");
  const templates = useQuery({ ...trpc.templates.list.queryOptions(), enabled: typing });
  const fill = useMutation(
    trpc.templates.fill.mutationOptions({
      onSuccess: (filled) => {
        setText(filled.text);
        setMissing(filled.missing);
      },
    }),
  );
  const query = text.slice(1).trim().toLowerCase();
  const matches = (templates.data ?? []).filter((t) => t.name.toLowerCase().includes(query)).slice(0, 8);
  const open = typing && closedFor !== text && templates.isSuccess;
  const index = Math.min(active, Math.max(matches.length - 1, 0));
  const optionId = (i: number) => `${listId}-option-${i}`;

  const choose = (i: number) => {
    const template = matches[i];
    if (!template || !conversationId) return;
    setClosedFor(text);
    fill.mutate({ conversationId, templateId: template.id });
  };

  return {
    textboxProps: {
      "aria-autocomplete": "list",
      ...(open ? { "aria-controls": listId } : {}),
      ...(open && matches.length > 0 ? { "aria-activedescendant": optionId(index) } : {}),
    },
    onKeyDown(event) {
      if (!open) return false;
      if (event.key === "Escape") {
        setClosedFor(text);
        return true;
      }
      if (matches.length === 0) return false;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((index + step + matches.length) % matches.length);
        return true;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        choose(index);
        return true;
      }
      return false;
    },
    picker: (
      <>
        {open ? (
          <TemplatePicker
            id={listId}
            optionId={optionId}
            templates={matches}
            activeIndex={index}
            onChoose={choose}
            onHover={setActive}
          />
        ) : null}
        {fill.isError ? <ErrorText>{errorMessage(fill.error)}</ErrorText> : null}
      </>
    ),
    marksLeft: missing.filter((mark) => text.includes(mark)),
    reset: () => setMissing([]),
  };
}
