import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { canDeleteMessage } from "./deletion";
import { eraseMessages } from "./eraseMessages";
import { loadConversationFor } from "./loadConversation";

/**
 * Deletes a message or file for good (DEL-1 … DEL-4) through {@link eraseMessages}; refused while
 * the conversation's patient is under a legal hold (REC-4).
 */
export function deleteMessage(
  deps: ChatDeps,
  actor: Actor,
  input: { messageId: string },
): Promise<{ conversationId: string }> {
  return audited(deps, actor, "message.delete", async (stores, targets) => {
    targets.messageId = input.messageId;
    const message = await stores.messages.get(input.messageId);
    if (!message) throw new DomainError("NOT_FOUND");
    targets.conversationId = message.conversationId;
    const access = await loadConversationFor(stores, actor, message.conversationId);
    assertAllowed(canDeleteMessage(message, access.person));
    if (message.body.kind === "file") targets.fileId = message.body.fileId;
    await eraseMessages(
      deps,
      stores,
      access.clinic,
      [{ conversation: access.conversation, messages: [message] }],
      actor.person,
    );
    return { conversationId: message.conversationId };
  });
}
