import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadConversationFor } from "./loadConversation";
import { type MessageView, messageViews } from "./views";

/** Largest history page. */
export const maxHistoryPage = 100;

/**
 * A page of a conversation's history, newest first, before a sequence number (a cursor, never
 * an offset). `nextBeforeSeq` continues to older messages; null when there are none.
 */
export function readHistory(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string; beforeSeq?: number | null; limit: number },
): Promise<{ messages: MessageView[]; nextBeforeSeq: number | null }> {
  return audited(deps, actor, "conversation.read_history", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > maxHistoryPage) {
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit", max: maxHistoryPage });
    }
    const page = await stores.messages.history(access.conversation.id, {
      limit: input.limit,
      beforeSeq: input.beforeSeq ?? null,
    });
    const oldest = page[page.length - 1];
    return {
      messages: await messageViews(stores, page),
      nextBeforeSeq: oldest && oldest.seq > 1 ? oldest.seq : null,
    };
  });
}
