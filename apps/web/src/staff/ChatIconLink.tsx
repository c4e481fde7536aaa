import type { Decision } from "../chat/composerReasons";
import { unavailableReason } from "../chat/unavailableReason";
import { Icon } from "../ui/Icon";

/**
 * The chat icon of Appointment Details and the Patient File (entry points 2 and 3): opens the
 * chat with the patient in a new tab. When the patient cannot be messaged it says why instead.
 */
export function ChatIconLink({
  patientId,
  patientName,
  startChat,
}: {
  patientId: string;
  patientName: string;
  startChat: Decision;
}) {
  const why = unavailableReason(startChat);
  if (why) {
    return (
      <p className="chat-icon chat-icon--disabled">
        <Icon name="chat" />
        <span>{why}</span>
      </p>
    );
  }
  return (
    <a
      className="chat-icon button"
      href={`/staff/chat/patient/${encodeURIComponent(patientId)}`}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={`Chat with ${patientName} (opens in a new tab)`}
    >
      <Icon name="chat" />
      <span>Chat</span>
    </a>
  );
}
