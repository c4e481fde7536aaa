import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { refuse } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadConversationFor } from "./loadConversation";
import type { Message } from "./Message";
import { checkMessageText } from "./messageRules";
import { postMessage } from "./postMessage";
import { type MessageView, messageView } from "./views";

/**
 * Sends a text message (MSG-1). Idempotent: the sender's `clientId` makes a retried send return
 * the message it already created, never a duplicate. Refused while the composer is disabled for
 * text (ENT-1, ENT-3, ELIG-1), with the reason.
 */
export function sendMessage(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string; clientId: string; text: string },
): Promise<MessageView> {
  return audited(deps, actor, "message.send", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    const sentBefore = (existing: Message): MessageView => {
      if (existing.body.kind !== "text") throw new DomainError("CONFLICT", "CONFLICT", { field: "clientId" });
      targets.messageId = existing.id;
      return messageView(existing, null);
    };
    const checked = checkMessageText(input.text);
    if (!checked.ok || !access.composer.text.allowed) {
      // A retry of a message already sent gets that message even when a new one would be refused
      // now. Claimed, not just looked up: an overlapping retry waits here, then finds the message.
      const existing = await stores.messages.claimClientId(
        access.conversation.id,
        actor.person,
        input.clientId,
      );
      if (existing) return sentBefore(existing);
      refuse(checked.ok ? access.composer.text : checked.decision);
    }
    // Posted once per client id: an overlapping retry waits for this one, then gets its message.
    const posted = await postMessage(
      deps,
      stores,
      actor,
      access.clinic,
      access.conversation,
      access.participants,
      input.clientId,
      { kind: "text", text: checked.text },
    );
    if (!posted.created) return sentBefore(posted.message);
    targets.messageId = posted.message.id;
    return messageView(posted.message, null);
  });
}
