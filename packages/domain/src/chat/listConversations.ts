import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { type PersonView, personViews } from "../people/personViews";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { ConversationSummary } from "./Conversation";

/** Largest conversation list page. */
export const maxConversationPage = 100;

/**
 * The actor's conversations, most recently active first, each with its unread count, plus the
 * total unread (MSG-3) and the people they involve.
 */
export function listConversations(
  deps: ChatDeps,
  actor: Actor,
  input: { limit: number; cursor?: string | null },
): Promise<{
  items: ConversationSummary[];
  nextCursor: string | null;
  totalUnread: number;
  people: PersonView[];
}> {
  return audited(deps, actor, "conversation.list", async (stores) => {
    // ENT-3: whatever the clinic's switches, everyone who may act keeps reading their conversations.
    await loadActing(stores, actor, { as: "person" });
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > maxConversationPage) {
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit", max: maxConversationPage });
    }
    const page = await stores.conversations.listFor(actor.person, {
      limit: input.limit,
      cursor: input.cursor ?? null,
    });
    const totalUnread = await stores.conversations.totalUnread(actor.person);
    const people = await personViews(
      stores,
      page.items.flatMap((item) => item.participants),
    );
    return { ...page, totalUnread, people };
  });
}
