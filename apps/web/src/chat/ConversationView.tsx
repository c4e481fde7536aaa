import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useRef } from "react";
import type { Audience } from "../auth/audience";
import { useSession } from "../auth/session";
import { FileViewerProvider } from "../files/FileViewerContext";
import { useConversationFiles } from "../files/useConversationFiles";
import { AfterHoursNotice, Guidelines } from "../inbox/AfterHours";
import { InboxControls, useTimeline } from "../inbox/InboxControls";
import { type TimelineEntry, timelineSentence } from "../inbox/inboxWords";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import type { ConversationDetails, MessageView, PersonView } from "../rpc/types";
import { BirthDate } from "../ui/BirthDate";
import { ErrorText, Loading } from "../ui/Feedback";
import { Icon } from "../ui/Icon";
import { AddTeammate } from "./AddTeammate";
import { Composer } from "./Composer";
import { ConversationMenu } from "./ConversationMenu";
import { formatDay } from "./formatTime";
import { markDeleted, messagesOldestFirst } from "./historyCache";
import { legalHoldWords } from "./legalHoldWords";
import { MessageItem } from "./MessageItem";
import { MessageList } from "./MessageList";
import { historyRows } from "./messageLayout";
import { OutgoingItem } from "./OutgoingItem";
import { RenameConversation } from "./RenameConversation";
import { personKey, useReadMarkers, withLoadedMarkers } from "./readMarkers";
import { ScheduledMessages } from "./schedule/ScheduledMessages";
import { useJumpTo } from "./search/useJumpTo";
import { TypingIndicator } from "./TypingIndicator";
import { useTypingNotice } from "./typing";
import { useHistory } from "./useHistory";
import { useMarkRead } from "./useMarkRead";
import { useDiscardOutgoing, useOutgoing, useSendText } from "./useSendText";

/** The conversation's title: the patient, or the teammates, from where the reader stands. */
export function conversationTitle(
  details: ConversationDetails,
  me: { kind: string; id: string },
  audience: Audience,
) {
  const others = details.participants.filter((p) => !(p.kind === me.kind && p.id === me.id));
  if (details.conversation.kind === "patient" && audience === "staff") {
    return others.find((p) => p.kind === "patient")?.name ?? "Patient";
  }
  // A Team Chat's name when it has one (shown to its staff only: patient conversations have none).
  if (details.conversation.name) return details.conversation.name;
  const names = others.filter((p) => p.kind === "staff").map((p) => p.name);
  return names.length > 0 ? names.join(", ") : "Only you";
}

/**
 * One conversation: its history (older pages on scroll), what is on its way (sends and uploads),
 * the composer, and for staff adding a teammate. Reading it marks it read (MSG-3).
 */
export function ConversationView({
  conversationId,
  audience,
  backTo,
  jumpTo,
}: {
  conversationId: string;
  audience: Audience;
  backTo: "/staff/chat" | "/portal/chat";
  /** SRCH-1: open at this message (a search hit) rather than at the first unread or the newest. */
  jumpTo?: { readonly messageId: string; readonly seq: number };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useSession();
  const details = useQuery(trpc.conversations.open.queryOptions({ conversationId }));
  // REC-2: an erased patient's conversation is kept to read; nothing more can be done with it.
  const textRule = details.data?.composer.text;
  const erased = textRule?.allowed === false && textRule.reason === "CONVERSATION_READ_ONLY";
  const history = useHistory(conversationId);
  const outgoing = useOutgoing(conversationId);
  const send = useSendText(conversationId);
  const discard = useDiscardOutgoing(conversationId);
  const files = useConversationFiles(
    conversationId,
    {
      canFile: details.data?.composer.file.allowed ?? false,
      canText: details.data?.composer.text.allowed ?? false,
    },
    (text) => send(text),
  );
  const liveMarkers = useReadMarkers(conversationId);
  const timeline = useTimeline(conversationId);
  const typingNotice = useTypingNotice(conversationId);
  const remove = useMutation(
    trpc.messages.delete.mutationOptions({
      onSuccess: (_result, { messageId }) =>
        markDeleted(queryClient, conversationId, messageId, me.person, new Date().toISOString()),
    }),
  );

  const messages = messagesOldestFirst(history.data);
  const newest = messages.at(-1);
  const jump = useJumpTo(jumpTo, messages, history);
  // Where the reader had read to when they opened it: the unread divider stays put while they read.
  // The conversation's details may come from the cache of an earlier visit: the reader's own
  // marker, as read live since, is then further on.
  const readWhenOpened = useRef<number | null>(null);
  if (readWhenOpened.current === null && details.data) {
    readWhenOpened.current = Math.max(details.data.readUpToSeq, liveMarkers[personKey(me.person)] ?? 0);
  }
  useMarkRead(conversationId, newest?.seq ?? 0, details.data?.readUpToSeq ?? 0);

  if (details.isError) {
    return (
      <section className="conversation" aria-labelledby="conversation-title">
        <h2 id="conversation-title" tabIndex={-1}>
          Conversation
        </h2>
        <ErrorText>{errorMessage(details.error)}</ErrorText>
      </section>
    );
  }
  if (details.isPending || history.isPending || jump.waiting)
    return <Loading label="Loading conversation…" />;

  const people = new Map<string, PersonView>(details.data.participants.map((p) => [personKey(p), p]));
  const nameOf = (m: MessageView) => people.get(personKey(m.sender))?.name ?? "Former participant";
  const isMine = (m: MessageView) => m.sender.kind === me.person.kind && m.sender.id === me.person.id;
  const sentClientIds = new Set(messages.filter(isMine).map((m) => m.clientId));
  const pending = outgoing.filter((o) => !sentClientIds.has(o.clientId));
  const markers = withLoadedMarkers(liveMarkers, details.data.readMarkers);
  const lastMine = messages.findLast((m) => isMine(m) && m.body.kind !== "deleted");
  const readBy = lastMine
    ? details.data.participants
        .filter((p) => !(p.kind === me.person.kind && p.id === me.person.id))
        .filter((p) => (markers[personKey(p)] ?? 0) >= lastMine.seq)
        .map((p) => p.name)
    : [];
  const unreadAt = messages.findIndex(
    (m) => m.seq > (readWhenOpened.current ?? 0) && !isMine(m) && m.body.kind !== "deleted",
  );
  // Marked only where it is known: when every loaded message is unread and older ones are not
  // loaded yet, the first unread is further up, and the view opens at the newest as usual.
  const firstUnread =
    unreadAt > 0 || (unreadAt === 0 && !history.hasNextPage) ? messages[unreadAt] : undefined;
  const rows = historyRows(messages, firstUnread?.id ?? null);
  const title = conversationTitle(details.data, me.person, audience);
  const kind = details.data.conversation.kind;
  // INBOX-2, HOURS-3: timeline entries stand after the message they followed.
  const entries = timeline.data?.entries ?? [];
  const firstSeq = history.hasNextPage ? (messages[0]?.seq ?? 0) : 0;
  const entriesAfter = (seq: number) => entries.filter((e) => e.afterSeq === seq && e.afterSeq >= firstSeq);
  const nameOfPerson = (kindOf: string, personId: string) =>
    people.get(`${kindOf}:${personId}`)?.name ?? null;
  const entryItems = (list: readonly TimelineEntry[]) =>
    list.map((entry) => (
      <li
        key={entry.id}
        className={`timeline-entry${entry.kind === "auto_reply" ? " timeline-entry--auto" : ""}`}
        data-testid={entry.kind === "auto_reply" ? "auto-reply" : "timeline-entry"}
      >
        {timelineSentence(entry, nameOfPerson, audience)}
      </li>
    ));

  // FILE-7: the conversation's files, oldest first, for the viewers (arrows move between images).
  const sharedFiles = messages.flatMap((m) => (m.body.kind === "file" ? [m.body.file] : []));

  return (
    <FileViewerProvider files={sharedFiles}>
      <section className="conversation" aria-labelledby="conversation-title" {...files.dropHandlers}>
        {files.overlays}
        <header className="conversation__header">
          <Link to={backTo} className="button button--icon button--ghost conversation__back">
            <Icon name="back" />
            <span className="visually-hidden">All conversations</span>
          </Link>
          <div className="conversation__title">
            <h2 id="conversation-title" tabIndex={-1}>
              {title}
            </h2>
            {kind === "patient" && audience === "staff" ? (
              <BirthDate
                dateOfBirth={details.data.participants.find((p) => p.kind === "patient")?.dateOfBirth}
              />
            ) : null}
            <p className="hint">
              {kind === "team" ? "Team Chat" : audience === "staff" ? "Patient conversation" : me.clinic.name}
              {" · "}
              {details.data.participants.length} people
            </p>
          </div>
          {audience === "staff" && kind === "team" ? (
            <RenameConversation conversationId={conversationId} name={details.data.conversation.name} />
          ) : null}
          {audience === "staff" && !erased ? (
            <AddTeammate
              conversationId={conversationId}
              participantIds={details.data.participants.filter((p) => p.kind === "staff").map((p) => p.id)}
            />
          ) : null}
          {audience === "staff" && kind === "patient" ? (
            <ConversationMenu conversationId={conversationId} />
          ) : null}
        </header>
        {kind === "patient" && audience === "staff" && !erased ? (
          <InboxControls conversationId={conversationId} participants={details.data.participants} />
        ) : null}
        {kind === "patient" && audience === "patient" ? <Guidelines /> : null}
        <MessageList
          newestKey={pending.at(-1)?.clientId ?? newest?.id ?? null}
          loadedCount={messages.length}
          hasOlder={history.hasNextPage}
          loadingOlder={history.isFetchingNextPage}
          onLoadOlder={() => void history.fetchNextPage()}
          startAtKey={jump.startAtKey ?? (firstUnread ? "unread" : null)}
        >
          {firstSeq === 0 ? entryItems(entriesAfter(0)) : null}
          {rows.map((row) =>
            row.kind === "day" ? (
              <li key={row.key} className="history-divider">
                <time dateTime={row.at}>{formatDay(row.at)}</time>
              </li>
            ) : row.kind === "unread" ? (
              <li key={row.key} className="history-divider history-divider--unread" data-row-key="unread">
                New messages
              </li>
            ) : (
              [
                <MessageItem
                  key={row.key}
                  message={row.message}
                  grouped={row.grouped}
                  senderName={nameOf(row.message)}
                  mine={isMine(row.message)}
                  canDelete={isMine(row.message) || (audience === "staff" && me.role === "admin")}
                  deleting={remove.isPending && remove.variables?.messageId === row.message.id}
                  deleteUnavailable={details.data.legalHold ? legalHoldWords : null}
                  onDelete={(messageId) => remove.mutate({ messageId })}
                  readBy={row.message === lastMine && readBy.length > 0 ? readBy.join(", ") : null}
                />,
                ...entryItems(entriesAfter(row.message.seq)),
              ]
            ),
          )}
          {pending.map((item) => (
            <OutgoingItem
              key={item.clientId}
              item={item}
              onRetry={() => send(item.text, item.clientId)}
              onDiscard={() => discard(item.clientId)}
            />
          ))}
        </MessageList>
        {remove.isError ? <ErrorText>{errorMessage(remove.error)}</ErrorText> : null}
        {files.tray}
        {kind === "patient" && audience === "patient" ? <AfterHoursNotice /> : null}
        {audience === "staff" ? <ScheduledMessages conversationId={conversationId} /> : null}
        <TypingIndicator
          conversationId={conversationId}
          nameOf={(person) => people.get(personKey(person))?.name ?? null}
        />
        <Composer
          rules={details.data.composer}
          kind={kind}
          audience={audience}
          onSendText={(text) => {
            typingNotice.sent();
            send(text);
          }}
          onPickFile={files.pickFile}
          staffTools={audience === "staff" ? { conversationId } : null}
          onTyping={typingNotice.typing}
        />
      </section>
    </FileViewerProvider>
  );
}
