import { errorMessage } from "../rpc/errors";
import type { OutgoingMessage } from "./useSendText";

/** A message shown before the server has it (optimistic): sending, or not sent with the reason. */
export function OutgoingItem({
  item,
  onRetry,
  onDiscard,
}: {
  item: OutgoingMessage;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  return (
    <li className={`message message--mine message--${item.status}`} data-client-id={item.clientId}>
      <div className="message__meta">
        <span className="message__sender">You</span>
        <span className="hint">{item.status === "sending" ? "Sending…" : "Not sent"}</span>
      </div>
      <div className="message__row">
        <div className="message__bubble">
          <p className="message__text">{item.text}</p>
        </div>
      </div>
      {item.status === "failed" ? (
        <div className="message__failure">
          <p className="error-text" role="alert">
            {errorMessage(item.error)}
          </p>
          <button type="button" className="button button--small" onClick={onRetry}>
            Try again
          </button>
          <button type="button" className="button button--small" onClick={onDiscard}>
            Discard
          </button>
        </div>
      ) : null}
    </li>
  );
}
