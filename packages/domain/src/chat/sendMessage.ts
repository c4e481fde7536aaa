import { notifiableKinds } from "../notifications/notifyRecipients";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { refuse } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadConversationForPost } from "./loadConversation";
import { checkMessageText } from "./messageRules";
import { postUnderLock } from "./postMessage";
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
    const checked = checkMessageText(input.text);
    // One read, under the conversation's lock: the access facts, the message a retry sent before
    // (an overlapping retry waits for the lock, then finds it) and, when the text could be sent,
    // the possible recipients' notification states, locked.
    const access = await loadConversationForPost(stores, actor, input.conversationId, {
      clientId: input.clientId,
      lockStatesOf: checked.ok ? notifiableKinds(actor.person) : [],
    });
    // A retry of a message already sent gets that message, even when a new one would be refused now.
    const existing = access.sentBefore;
    if (existing) {
      if (existing.body.kind !== "text") throw new DomainError("CONFLICT", "CONFLICT", { field: "clientId" });
      targets.messageId = existing.id;
      return messageView(existing, null);
    }
    if (!checked.ok) refuse(checked.decision);
    if (!access.composer.text.allowed) refuse(access.composer.text);
    const message = await postUnderLock(deps, stores, actor, access, input.clientId, {
      kind: "text",
      text: checked.text,
    });
    targets.messageId = message.id;
    return messageView(message, null);
  });
}
