import { notifyRecipients } from "../notifications/notifyRecipients";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { eventsOfRead, tellHost } from "../webhooks/tellHost";
import { loadConversationFor } from "./loadConversation";

/**
 * Marks a conversation read up to a message (MSG-3). The marker only moves forward; reading
 * before a notification's delay ends cancels it (NOTIF-2). Others see the read state live (MSG-2).
 */
export function markRead(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string; upToSeq: number },
): Promise<{ readUpToSeq: number }> {
  return audited(deps, actor, "conversation.mark_read", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    if (!Number.isInteger(input.upToSeq) || input.upToSeq < 0)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "upToSeq" });
    const upTo = Math.min(input.upToSeq, access.conversation.lastSeq);
    const before = await stores.conversations.participant(access.conversation.id, actor.person);
    const readUpToSeq = await stores.conversations.markRead(access.conversation.id, actor.person, upTo);
    // INBOX-3: reading a conversation ends its "marked unread".
    if (access.conversation.kind === "patient" && actor.person.kind === "staff") {
      await stores.inbox.setMarkedUnread(access.conversation.id, actor.person, false);
    }
    if (readUpToSeq !== before?.readUpToSeq) {
      const now = deps.clock.now();
      await stores.events.append([
        {
          clinicId: actor.clinicId,
          conversationId: access.conversation.id,
          type: "conversation.read",
          messageId: null,
          person: actor.person,
          seq: readUpToSeq,
          at: now,
        },
      ]);
      await notifyRecipients(deps, stores, access.clinic, [actor.person], {
        type: "conversation.read",
        conversationId: access.conversation.id,
        upToSeq: readUpToSeq,
      });
      await tellHost(stores, access.clinic, eventsOfRead(access.conversation, actor.person, now));
    }
    return { readUpToSeq };
  });
}
