import type { QueryClient } from "@tanstack/react-query";
import { historyKey, markDeleted, putMessages } from "../chat/historyCache";
import { noteRead } from "../chat/readMarkers";
import { noteStoppedTyping, noteTyping } from "../chat/typing";
import { catchUpHistory } from "../chat/useHistory";
import { askForWaitingPreviews } from "../files/useImagePreview";
import type { ApiClient } from "../rpc/trpc";
import type { Outputs, PersonRef } from "../rpc/types";

/** One event of `live.events`, as the browser receives it. */
export type LiveEvent = Outputs["live"]["events"] extends AsyncIterable<infer T> ? T : never;

/** The path keys the events touch, from the tRPC options proxy. */
export interface LiveKeys {
  readonly conversationList: readonly unknown[];
  readonly conversationOpen: readonly unknown[];
  readonly clinic: readonly unknown[];
  readonly portal: readonly unknown[];
  readonly practitioners: readonly unknown[];
  /** The inbox's views, counts and timelines (INBOX-1, INBOX-2). */
  readonly inbox: readonly unknown[];
}

/** What applying an event needs. */
export interface LiveContext {
  readonly queryClient: QueryClient;
  readonly client: ApiClient;
  readonly me: PersonRef;
  readonly keys: LiveKeys;
  /** Says "New message from …" politely; the message's own words are never announced. */
  readonly announce: (text: string) => void;
  readonly nameOf: (conversationId: string, person: PersonRef) => string | null;
}

const isMe = (me: PersonRef, person: PersonRef | null) => person?.kind === me.kind && person.id === me.id;

/**
 * Applies one live event to what the app shows (MSG-2, MSG-3, DEL-4, ENT-4). Every step is
 * idempotent, so a replayed event after a reconnect changes nothing twice.
 */
export async function applyLiveEvent(ctx: LiveContext, event: LiveEvent["data"]): Promise<void> {
  const { queryClient, keys } = ctx;
  const refreshList = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.conversationList }),
      queryClient.invalidateQueries({ queryKey: keys.inbox }),
    ]);
  switch (event.type) {
    case "ready":
      // Caught up: anything that happened between loading the page and subscribing is fetched now.
      await catchUp(ctx);
      return;
    case "message.posted": {
      const key = historyKey(event.conversationId);
      const state = queryClient.getQueryState(key);
      if (state?.data) putMessages(queryClient, event.conversationId, [event.message]);
      // A history still loading may have been read before this message: load it again.
      else if (state?.fetchStatus === "fetching") void queryClient.invalidateQueries({ queryKey: key });
      noteStoppedTyping(event.conversationId, event.message.sender);
      if (!isMe(ctx.me, event.message.sender)) {
        const name = ctx.nameOf(event.conversationId, event.message.sender);
        ctx.announce(name ? `New message from ${name}` : "New message");
      }
      await refreshList();
      return;
    }
    case "message.deleted":
      markDeleted(
        queryClient,
        event.conversationId,
        event.messageId,
        event.deletedBy ?? { kind: "staff", id: "" },
        String(event.at),
      );
      await refreshList();
      return;
    case "conversation.read":
      if (event.person) noteRead(queryClient, event.conversationId, event.person, event.readUpToSeq);
      if (isMe(ctx.me, event.person)) await refreshList();
      return;
    case "conversation.typing":
      // Passing: shown for a few seconds, never stored, never announced aloud on its own.
      noteTyping(event.conversationId, event.person);
      return;
    case "conversation.created":
      await refreshList();
      return;
    case "participant.added":
      await Promise.all([refreshList(), queryClient.invalidateQueries({ queryKey: keys.conversationOpen })]);
      return;
    case "conversation.renamed":
      // Its title in the list and the header, and the timeline's entry.
      await Promise.all([refreshList(), queryClient.invalidateQueries({ queryKey: keys.conversationOpen })]);
      return;
    case "file.preview_ready":
      // FILE-7: the thumbnails this page waits on are asked for once, now that they exist.
      await askForWaitingPreviews(queryClient);
      return;
    case "inbox.changed":
    case "conversation.auto_replied":
      // INBOX-2, HOURS-3: the views, their counts and the conversation's timeline are read again.
      await queryClient.invalidateQueries({ queryKey: keys.inbox });
      return;
    case "clinic.entitlements_changed":
      // ENT-4: composers, settings and the portal's offer follow the change at once.
      await Promise.all(
        [
          keys.conversationOpen,
          keys.clinic,
          keys.portal,
          keys.practitioners,
          keys.conversationList,
          keys.inbox,
        ].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      );
  }
}

/**
 * Brings the list and every loaded history up to date from the server. Idempotent, so it is
 * safe after any doubt: a new stream, or the network coming back under a connection that may
 * have lost data without noticing.
 */
export async function catchUp(ctx: Pick<LiveContext, "queryClient" | "client" | "keys">): Promise<void> {
  const { queryClient } = ctx;
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ctx.keys.conversationList }),
    queryClient.invalidateQueries({ queryKey: ctx.keys.inbox }),
    ...queryClient
      .getQueryCache()
      .findAll({ queryKey: ["chat", "history"] })
      .map((q) => catchUpHistory(queryClient, ctx.client, String(q.queryKey[2]))),
  ]);
}
