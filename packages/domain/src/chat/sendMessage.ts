import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed, refuse } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadConversationFor } from "./loadConversation";
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
    // Claimed, not just looked up: an overlapping retry waits here, then finds this message.
    const existing = await stores.messages.claimClientId(
      access.conversation.id,
      actor.person,
      input.clientId,
    );
    if (existing) {
      if (existing.body.kind !== "text") throw new DomainError("CONFLICT", "CONFLICT", { field: "clientId" });
      targets.messageId = existing.id;
      return messageView(existing, null);
    }
    const checked = checkMessageText(input.text);
    if (!checked.ok) refuse(checked.decision);
    assertAllowed(access.composer.text);
    const message = await postMessage(
      deps,
      stores,
      actor,
      access.clinic,
      access.conversation,
      input.clientId,
      {
        kind: "text",
        text: checked.text,
      },
    );
    targets.messageId = message.id;
    return messageView(message, null);
  });
}
