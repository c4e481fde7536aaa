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
 * (ELIG-2), and the open conversation. While the clinic offers no chat (its patient chat switch is
 * off), the conversations and files stay readable with a note saying so, and nothing new can be
 * started (ENT-3).
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
  const paused = portal.data.composer.text.allowed
    ? null
    : portal.data.composer.text.reason === "PATIENT_CHAT_OFF"
      ? `${portal.data.clinicName} has paused chat in the Patient Portal. You can still read your conversations and download your files, but nothing can be sent.`
      : `${portal.data.clinicName} doesn't offer chat in the Patient Portal right now. You can still read your conversations and download your files.`;
  return (
    <div className={`chat-page${conversationId ? " chat-page--open" : ""}`}>
      <div className="chat-page__list">
        <div className="chat-page__head">
          <h1 tabIndex={-1}>Chat</h1>
        </div>
        {!available && paused ? (
          <p className="notice" role="status">
            {paused}
          </p>
        ) : null}
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
        {available ? <StartWithPractitioner /> : null}
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
            <p>
              {available
                ? "Choose a conversation, or start one with a practitioner."
                : "Choose a conversation."}
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
