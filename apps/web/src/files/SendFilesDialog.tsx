import { useId, useState } from "react";
import { Dialog } from "../ui/Dialog";
import { formatBytes } from "./fileRules";
import { useRestoreFocus } from "./useRestoreFocus";

/** MSG-1: a caption is a text message, at most 4,000 characters after trimming. */
const maxCaptionLength = 4000;

/**
 * FILE-8: files dropped or pasted onto the conversation wait here for the sender to confirm, so a
 * photo pasted by mistake is never sent. Where text messages are allowed (ENT-1) the files can
 * carry a caption, sent as the sender's message right after them.
 */
export function SendFilesDialog({
  files,
  canCaption,
  onSend,
  onRemove,
  onClose,
}: {
  files: readonly File[];
  canCaption: boolean;
  onSend: (caption: string) => void;
  onRemove: (index: number) => void;
  onClose: () => void;
}) {
  useRestoreFocus();
  const id = useId();
  const [caption, setCaption] = useState("");
  const tooLong = [...caption.trim()].length > maxCaptionLength;
  const title = files.length === 1 ? "Send 1 file" : `Send ${files.length} files`;
  return (
    <Dialog open title={title} onClose={onClose}>
      <form
        className="send-files"
        onSubmit={(event) => {
          event.preventDefault();
          if (!tooLong && files.length > 0) onSend(canCaption ? caption.trim() : "");
        }}
      >
        <ul className="send-files__list" aria-label="Files to send">
          {files.map((file, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the list only shrinks, and two files may share a name
            <li key={index} className="send-files__item">
              <span className="file-name">{file.name}</span>{" "}
              <span className="hint">{formatBytes(file.size)}</span>
              <button type="button" className="button button--small" onClick={() => onRemove(index)}>
                Remove<span className="visually-hidden"> {file.name}</span>
              </button>
            </li>
          ))}
        </ul>
        {canCaption ? (
          <div className="field">
            <label htmlFor={`${id}-caption`}>Caption (optional)</label>
            <textarea
              id={`${id}-caption`}
              rows={2}
              value={caption}
              aria-invalid={tooLong || undefined}
              aria-describedby={tooLong ? `${id}-length` : undefined}
              onChange={(event) => setCaption(event.currentTarget.value)}
            />
            {tooLong ? (
              <p className="error-text" id={`${id}-length`}>
                A caption can be up to 4,000 characters.
              </p>
            ) : null}
          </div>
        ) : null}
        <div className="send-files__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={tooLong || files.length === 0}>
            {title}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
