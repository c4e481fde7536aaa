import { useQuery } from "@tanstack/react-query";
import { useSession } from "../auth/session";
import { ConversationList } from "../chat/ConversationList";
import { ConversationView } from "../chat/ConversationView";
import { useConversations } from "../chat/useConversations";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText, Loading } from "../ui/Feedback";
import { usePageTitle, useUnreadInTitle } from "../ui/usePageTitle";
import { StartWithPractitioner } from "./StartWithPractitioner";

/**
 * The portal's Chat: the patient's conversations, starting one with an available practitioner
 * (ELIG-2), and the open conversation. Hidden entirely while the clinic's patient chat is off.
 */
export function PortalChatPage({ conversationId }: { conversationId?: string }) {
  usePageTitle("Chat");
  const trpc = useTRPC();
  const me = useSession();
  const portal = useQuery(trpc.portal.chat.queryOptions());
  const available = portal.data?.chatAvailable === true;
  const { query, items, people, totalUnread } = useConversations();
  useUnreadInTitle(totalUnread);

  if (portal.isPending) return <Loading />;
  if (portal.isError) return <ErrorText>{errorMessage(portal.error)}</ErrorText>;
  if (!available) {
    return (
      <div className="page page--narrow">
        <h1 tabIndex={-1}>Chat</h1>
        <p>{portal.data.clinicName} doesn't offer chat in the Patient Portal right now.</p>
      </div>
    );
  }
  return (
    <div className={`chat-page${conversationId ? " chat-page--open" : ""}`}>
      <div className="chat-page__list">
        <div className="chat-page__head">
          <h1 tabIndex={-1}>Chat</h1>
        </div>
        {query.isPending ? <Loading /> : null}
        {query.isError ? <ErrorText>{errorMessage(query.error)}</ErrorText> : null}
        {query.data ? (
          <ConversationList
            items={items}
            people={people}
            me={me.person}
            audience="patient"
            clinicName={me.clinic.name}
            totalUnread={totalUnread}
            activeId={conversationId}
          />
        ) : null}
        <StartWithPractitioner />
      </div>
      <div className="chat-page__conversation">
        {conversationId ? (
          <ConversationView
            key={conversationId}
            conversationId={conversationId}
            audience="patient"
            backTo="/portal/chat"
          />
        ) : (
          <div className="chat-page__empty">
            <p>Choose a conversation, or start one with a practitioner.</p>
          </div>
        )}
      </div>
    </div>
  );
}
