import { lazy, Suspense, useState } from "react";
import { useSession } from "../auth/session";
import { ConversationList } from "../chat/ConversationList";
import { ConversationView } from "../chat/ConversationView";
import { StartChatDialog } from "../chat/StartChatDialog";
import { useSearchMemory } from "../chat/search/searchMemory";
import { useConversations } from "../chat/useConversations";
import { type ChatListChoice, InboxViewList, InboxViews, useInbox } from "../inbox/InboxPanel";
import { errorMessage } from "../rpc/errors";
import { ErrorText, Loading } from "../ui/Feedback";
import { Icon } from "../ui/Icon";
import { usePageTitle } from "../ui/usePageTitle";

// SRCH-1: the search UI loads when first opened, keeping the Chat page's first load small.
const MessageSearch = lazy(() =>
  import("../chat/search/MessageSearch").then((m) => ({ default: m.MessageSearch })),
);

/**
 * The staff Chat page: the conversation list with its unread badges, the + that starts a chat,
 * and the open conversation. On a phone the list and the conversation take turns.
 */
export function ChatPage({
  conversationId,
  jumpTo,
}: {
  conversationId?: string;
  /** A search hit to open the conversation at (SRCH-1). */
  jumpTo?: { readonly messageId: string; readonly seq: number };
}) {
  usePageTitle("Chat");
  const me = useSession();
  const [starting, setStarting] = useState(false);
  // SRCH-1: an open search stays open while a found message's conversation is read.
  const [search, setSearch] = useSearchMemory();
  const { query, items, people, totalUnread } = useConversations();
  // INBOX-1: the clinic's inbox views beside every conversation; the choice lasts the visit.
  const [choice, setChoice] = useState<ChatListChoice>(() => chosenView());
  const inbox = useInbox(choice);
  const choose = (next: ChatListChoice) => {
    setChoice(next);
    sessionStorage.setItem(viewStorageKey, next);
  };
  return (
    <div className={`chat-page${conversationId ? " chat-page--open" : ""}`}>
      <div className="chat-page__list">
        {search ? (
          <Suspense fallback={<Loading label="Opening search…" />}>
            <MessageSearch search={search} onChange={setSearch} onClose={() => setSearch(null)} />
          </Suspense>
        ) : null}
        {search ? null : (
          <>
            <div className="chat-page__head">
              <h1 tabIndex={-1}>Chat</h1>
              <button
                type="button"
                className="button button--icon"
                onClick={() => setSearch({ query: null })}
              >
                <Icon name="search" />
                <span className="visually-hidden">Search messages</span>
              </button>
              <button
                type="button"
                className="button button--primary button--icon"
                onClick={() => setStarting(true)}
              >
                <Icon name="plus" />
                <span className="visually-hidden">Start a chat</span>
              </button>
            </div>
            <InboxViews choice={choice} onChoose={choose} counts={inbox.data?.counts} />
            {choice !== "all" ? (
              <InboxViewList view={choice} me={me.person} activeId={conversationId} />
            ) : null}
            {choice === "all" && query.isPending ? <Loading /> : null}
            {choice === "all" && query.isError ? <ErrorText>{errorMessage(query.error)}</ErrorText> : null}
            {choice === "all" && query.data ? (
              <ConversationList
                items={items}
                people={people}
                me={me.person}
                audience="staff"
                clinicName={me.clinic.name}
                totalUnread={totalUnread}
                activeId={conversationId}
              />
            ) : null}
            {choice === "all" && query.hasNextPage ? (
              <button
                type="button"
                className="button button--small"
                onClick={() => void query.fetchNextPage()}
              >
                Show more conversations
              </button>
            ) : null}
          </>
        )}
      </div>
      <div className="chat-page__conversation">
        {conversationId ? (
          <ConversationView
            key={`${conversationId}/${jumpTo?.messageId ?? ""}`}
            conversationId={conversationId}
            jumpTo={jumpTo}
            audience="staff"
            backTo="/staff/chat"
          />
        ) : (
          <div className="chat-page__empty">
            <p>Choose a conversation, or start a new one with the + button.</p>
          </div>
        )}
      </div>
      <StartChatDialog open={starting} onClose={() => setStarting(false)} />
    </div>
  );
}

const viewStorageKey = "clinic-chat.inbox-view";

/** The view chosen earlier in this tab, or every conversation. */
function chosenView(): ChatListChoice {
  const stored = sessionStorage.getItem(viewStorageKey);
  const views: readonly ChatListChoice[] = ["all", "unassigned", "mine", "open", "awaiting", "closed"];
  return views.find((v) => v === stored) ?? "all";
}
