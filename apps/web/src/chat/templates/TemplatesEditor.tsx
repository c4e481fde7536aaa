import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText, Loading } from "../../ui/Feedback";

/** The placeholders a template may use (TPL-1), as the domain's fixed list names them. */
export const placeholderNames = [
  "patient first name",
  "patient name",
  "author name",
  "clinic name",
  "next appointment date",
  "next appointment time",
  "next appointment practitioner",
] as const;

/**
 * TPL-1: the templates of one scope, kept here: the clinic's (Clinic Settings › Templates, admins
 * change them) or one's own (My Account › Templates). A placeholder button puts `{…}` at the caret.
 */
export function TemplatesEditor({ scope, canEdit }: { scope: "clinic" | "personal"; canEdit: boolean }) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.templates.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.templates.list.queryKey() });
  const [editingId, setEditingId] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const textRef = useRef<HTMLTextAreaElement>(null);
  const save = useMutation(
    trpc.templates.save.mutationOptions({
      onSuccess: () => {
        setEditingId(null);
        setName("");
        setText("");
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.templates.delete.mutationOptions({ onSuccess: refresh }));
  const templates = (list.data ?? []).filter((t) => t.scope === scope);

  const insertPlaceholder = (placeholder: string) => {
    const box = textRef.current;
    const token = `{${placeholder}}`;
    const start = box?.selectionStart ?? text.length;
    const end = box?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + token + text.slice(end));
    requestAnimationFrame(() => {
      box?.focus();
      box?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorText>{errorMessage(list.error)}</ErrorText> : null}
      {list.data && templates.length === 0 ? <p className="hint">No templates yet.</p> : null}
      {templates.length > 0 ? (
        <ul className="template-list">
          {templates.map((t) => (
            <li key={t.id} className="template-list__item">
              <h3 className="template-list__name">{t.name}</h3>
              <p className="template-list__text">{t.text}</p>
              {canEdit && t.editable ? (
                <div className="template-list__actions">
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      setEditingId(t.id);
                      setName(t.name);
                      setText(t.text);
                    }}
                  >
                    Edit<span className="visually-hidden"> {t.name}</span>
                  </button>
                  <button
                    type="button"
                    className="button button--danger"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate({ templateId: t.id })}
                  >
                    Delete<span className="visually-hidden"> {t.name}</span>
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {remove.isError ? <ErrorText>{errorMessage(remove.error)}</ErrorText> : null}
      {canEdit ? (
        <form
          className="template-form"
          aria-labelledby={`${id}-form`}
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate({ templateId: editingId, scope, name, text });
          }}
        >
          <h3 id={`${id}-form`}>{editingId ? "Edit template" : "New template"}</h3>
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input
              id={`${id}-name`}
              value={name}
              required
              maxLength={80}
              onChange={(e) => setName(e.currentTarget.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-text`}>Text</label>
            <textarea
              id={`${id}-text`}
              ref={textRef}
              value={text}
              required
              rows={4}
              aria-describedby={`${id}-placeholders`}
              onChange={(e) => setText(e.currentTarget.value)}
            />
          </div>
          <fieldset className="template-form__placeholders">
            <legend className="hint" id={`${id}-placeholders`}>
              Placeholders are filled in for each conversation when the template is inserted:
            </legend>
            {placeholderNames.map((p) => (
              <button
                key={p}
                type="button"
                className="button button--small"
                onClick={() => insertPlaceholder(p)}
              >
                {`{${p}}`}
              </button>
            ))}
          </fieldset>
          <div className="template-form__actions">
            <button type="submit" className="button button--primary" disabled={save.isPending}>
              {editingId ? "Save template" : "Add template"}
            </button>
            {editingId ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  setEditingId(null);
                  setName("");
                  setText("");
                }}
              >
                Keep as it was
              </button>
            ) : null}
          </div>
          {save.isError ? <ErrorText>{errorMessage(save.error)}</ErrorText> : null}
        </form>
      ) : null}
    </>
  );
}
