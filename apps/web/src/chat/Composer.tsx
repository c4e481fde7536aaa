import { type KeyboardEvent, useId, useRef, useState } from "react";
import type { Audience } from "../auth/audience";
import { acceptAttribute } from "../files/fileRules";
import { Icon } from "../ui/Icon";
import { composerNotice, type Decision } from "./composerReasons";
import { SendLater } from "./schedule/SendLater";
import { MissingValues } from "./templates/MissingValues";
import { useTemplatePicker } from "./templates/useTemplatePicker";

/** MSG-1: at most 4,000 characters after trimming. */
export const maxMessageLength = 4000;

/** Props of {@link Composer}. */
export interface ComposerProps {
  readonly rules: { readonly text: Decision; readonly file: Decision };
  readonly kind: "patient" | "team";
  readonly audience: Audience;
  readonly onSendText: (text: string) => void;
  /** Called once for each file picked (FILE-8: several may be picked at once). */
  readonly onPickFile: (file: File) => void;
  /** Staff's tools for this conversation: reply templates (TPL-1) and "Send later" (SCHED-1). */
  readonly staffTools?: { readonly conversationId: string } | null;
  /** Called on every keystroke that leaves text in the box (the typing indicator throttles it). */
  readonly onTyping?: () => void;
}

/**
 * Writes messages and attaches files, offering only what the rules allow now. When something is
 * not allowed it says why in words (ENT-3, ELIG-1), instead of a control that does nothing. Enter
 * sends, Shift+Enter starts a new line.
 */
export function Composer({
  rules,
  kind,
  audience,
  onSendText,
  onPickFile,
  onTyping,
  staffTools = null,
}: ComposerProps) {
  const id = useId();
  const [text, setText] = useState("");
  const fileInput = useRef<HTMLInputElement>(null);
  const notice = composerNotice(rules, kind, audience);
  const canText = rules.text.allowed;
  const canFile = rules.file.allowed;
  const length = [...text.trim()].length;
  const tooLong = length > maxMessageLength;
  const templates = useTemplatePicker(staffTools?.conversationId ?? null, text, setText);
  // TPL-1: a template's missing value stays marked and blocks sending until edited.
  const blocked = templates.marksLeft.length > 0;

  const send = () => {
    const trimmed = text.trim();
    if (!trimmed || tooLong || blocked) return;
    onSendText(trimmed);
    setText("");
    templates.reset();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (templates.onKeyDown(event)) {
      event.preventDefault();
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  if (!canText && !canFile) {
    return (
      <div className="composer composer--disabled" data-testid="composer">
        <p className="composer__notice" id={`${id}-notice`}>
          <strong>Sending is not available.</strong> {notice}
        </p>
      </div>
    );
  }

  return (
    <form
      className="composer"
      data-testid="composer"
      aria-label="Write a message"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {notice ? (
        <p className="composer__notice" id={`${id}-notice`}>
          {notice}
        </p>
      ) : null}
      {templates.picker}
      <div className="composer__row">
        {canFile ? (
          <>
            <input
              ref={fileInput}
              id={`${id}-file`}
              type="file"
              className="visually-hidden"
              tabIndex={-1}
              accept={acceptAttribute}
              multiple
              aria-hidden="true"
              onChange={(event) => {
                for (const file of Array.from(event.currentTarget.files ?? [])) onPickFile(file);
                event.currentTarget.value = "";
              }}
            />
            <button
              type="button"
              className="button button--icon"
              onClick={() => fileInput.current?.click()}
              aria-describedby={notice ? `${id}-notice` : undefined}
            >
              <Icon name="paperclip" />
              <span className={canText ? "visually-hidden" : undefined}>Attach a file</span>
            </button>
          </>
        ) : null}
        {canText ? (
          <>
            <label htmlFor={`${id}-text`} className="visually-hidden">
              Message
            </label>
            <textarea
              id={`${id}-text`}
              className="composer__text"
              rows={1}
              value={text}
              placeholder="Write a message"
              aria-describedby={
                [notice ? `${id}-notice` : "", tooLong ? `${id}-length` : "", blocked ? `${id}-marks` : ""]
                  .join(" ")
                  .trim() || undefined
              }
              aria-invalid={tooLong || blocked || undefined}
              {...(staffTools ? templates.textboxProps : {})}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setText(value);
                if (value.trim()) onTyping?.();
              }}
              onKeyDown={onKeyDown}
            />
            <button
              type="submit"
              className="button button--primary button--icon"
              disabled={length === 0 || tooLong || blocked}
            >
              <Icon name="send" />
              <span className="visually-hidden">Send</span>
            </button>
            {staffTools ? (
              <SendLater
                conversationId={staffTools.conversationId}
                text={text}
                disabled={length === 0 || tooLong || blocked}
                onScheduled={() => {
                  setText("");
                  templates.reset();
                }}
              />
            ) : null}
          </>
        ) : null}
      </div>
      {blocked ? <MissingValues id={`${id}-marks`} marks={templates.marksLeft} /> : null}
      {tooLong ? (
        <p className="error-text" id={`${id}-length`}>
          Messages can be up to 4,000 characters. This one has {length.toLocaleString("en-US")}.
        </p>
      ) : null}
    </form>
  );
}
