import { useRef, useState } from "react";
import { FileAttachment } from "../files/FileAttachment";
import type { MessageView } from "../rpc/types";
import { formatClock, formatMessageTime } from "./formatTime";
import { MessageMenu } from "./MessageMenu";
import { MessageText } from "./MessageText";

/** Props of {@link MessageItem}. */
export interface MessageItemProps {
  readonly message: MessageView;
  readonly senderName: string;
  readonly mine: boolean;
  /** The sender, or a clinic admin (DEL-1); nothing is offered on a deleted message. */
  readonly canDelete: boolean;
  readonly onDelete: (messageId: string) => void;
  readonly deleting?: boolean;
  /** Why deleting is unavailable in this conversation now (REC-4: a legal hold); null: it is not. */
  readonly deleteUnavailable?: string | null;
  /** "Seen by …" under the last message others have read. */
  readonly readBy?: string | null;
  /**
   * Follows a message of the same sender closely: name and time show once for the run, and stay
   * in the text for screen readers, who hear each message on its own.
   */
  readonly grouped?: boolean;
}

/**
 * One message: who, when, and the text or file, or "Message deleted" in its place (DEL-3). The
 * ⋯ menu shows on hover and whenever focus is inside the message, so keyboard users reach it
 * with Tab; on touch screens it always shows.
 */
export function MessageItem({
  message,
  senderName,
  mine,
  canDelete,
  onDelete,
  deleting = false,
  deleteUnavailable = null,
  readBy,
  grouped = false,
}: MessageItemProps) {
  const item = useRef<HTMLLIElement>(null);
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const deleted = message.body.kind === "deleted";
  const when = formatMessageTime(message.sentAt);
  const showActions = hovered || focused || menuOpen;
  return (
    <li
      ref={item}
      tabIndex={-1}
      className={`message${mine ? " message--mine" : ""}${deleted ? " message--deleted" : ""}${grouped ? " message--grouped" : ""}`}
      data-message-id={message.id}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      <div className={grouped ? "message__meta visually-hidden" : "message__meta"}>
        <span className="message__sender">{mine ? "You" : senderName}</span>
        <time dateTime={message.sentAt} title={when}>
          {formatClock(message.sentAt)}
        </time>
      </div>
      <div className="message__row">
        <div className="message__bubble">
          {message.body.kind === "text" ? <MessageText text={message.body.text} /> : null}
          {message.body.kind === "file" ? <FileAttachment file={message.body.file} /> : null}
          {message.body.kind === "deleted" ? <p className="message__deleted">Message deleted</p> : null}
        </div>
        {canDelete && !deleted ? (
          <div className="message__actions" data-visible={showActions || undefined}>
            <MessageMenu
              label={`Actions for ${mine ? "your message" : `message from ${senderName}`}, ${when}`}
              deleting={deleting}
              unavailable={deleteUnavailable}
              onOpenChange={setMenuOpen}
              onDelete={() => {
                // The menu goes away with the content; focus stays on this message.
                item.current?.focus();
                onDelete(message.id);
              }}
            />
          </div>
        ) : null}
      </div>
      {readBy ? <p className="message__read">Seen by {readBy}</p> : null}
    </li>
  );
}
