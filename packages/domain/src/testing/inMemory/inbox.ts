import type { Conversation } from "../../chat/Conversation";
import { type InboxState, inboxViews, inView, newInboxState } from "../../inbox/InboxState";
import type { InboxRow, InboxStore } from "../../inbox/ports";
import { type PersonRef, personKey, samePerson } from "../../people/people";
import type { ClinicView } from "./world";

/** The inbox state of a conversation of the view's clinic: null for Team Chat, new when never saved. */
export function inboxStateOf(view: ClinicView, conversation: Conversation): InboxState | null {
  if (conversation.kind !== "patient" || conversation.clinicId !== view.clinicId) return null;
  return view.world.inbox.get(conversation.id) ?? newInboxState(conversation.id);
}

/** The inbox of the unit of work's clinic (INBOX-1 … INBOX-3); its views use the domain's `inView`. */
export function inMemoryInbox(view: ClinicView): InboxStore {
  const { world, clinicId, inClinic } = view;
  const markKey = (conversationId: string, ref: PersonRef) =>
    `${clinicId}|${conversationId}|${personKey(ref)}`;

  /** The staff member's patient conversations with their states, most recently active first. */
  const rowsOf = (
    staffId: string,
  ): { conversation: Conversation; inbox: InboxState; readUpToSeq: number }[] => {
    const me = { kind: "staff" as const, id: staffId };
    const rows: { conversation: Conversation; inbox: InboxState; readUpToSeq: number }[] = [];
    for (const [conversationId, participants] of world.participants) {
      const conversation = inClinic(world.conversations.get(conversationId));
      const participant = participants.find((p) => samePerson(p.person, me));
      const inbox = conversation ? inboxStateOf(view, conversation) : null;
      // START-3: a conversation never written in is in no list.
      if (!conversation || !participant || !inbox || conversation.lastSeq === 0) continue;
      if (world.quietMembers.has(`${conversationId}|${personKey(me)}`)) continue;
      rows.push({ conversation, inbox, readUpToSeq: participant.readUpToSeq });
    }
    return rows.sort(
      (a, b) =>
        b.conversation.lastActivityAt.getTime() - a.conversation.lastActivityAt.getTime() ||
        (b.conversation.id < a.conversation.id ? -1 : b.conversation.id > a.conversation.id ? 1 : 0),
    );
  };

  const lastMessageOf = (conversation: Conversation): InboxRow["lastMessage"] => {
    for (const m of world.messages.values()) {
      if (m.clinicId === clinicId && m.conversationId === conversation.id && m.seq === conversation.lastSeq) {
        return { seq: m.seq, sender: m.sender, sentAt: m.sentAt, body: m.body };
      }
    }
    return null;
  };

  const unreadOf = (conversationId: string, staffId: string, readUpToSeq: number): number => {
    let count = 0;
    for (const m of world.messages.values()) {
      if (
        m.clinicId === clinicId &&
        m.conversationId === conversationId &&
        m.seq > readUpToSeq &&
        m.body.kind !== "deleted" &&
        !(m.sender.kind === "staff" && m.sender.id === staffId)
      )
        count++;
    }
    return count;
  };

  const store: InboxStore = {
    async get(conversationId) {
      const conversation = inClinic(world.conversations.get(conversationId));
      return conversation ? inboxStateOf(view, conversation) : null;
    },
    async save(state) {
      const conversation = inClinic(world.conversations.get(state.conversationId));
      if (conversation?.kind !== "patient")
        throw new Error("no patient conversation to keep an inbox state for");
      world.inbox.set(state.conversationId, state);
    },
    async saveAll(states) {
      for (const state of states) await store.save(state);
    },
    async addTimeline(entries) {
      for (const entry of entries) {
        if (!inClinic(world.conversations.get(entry.conversationId)))
          throw new Error("timeline outside the clinic");
        world.timeline.push({ ...entry, clinicId });
      }
    },
    async timeline(conversationId) {
      return world.timeline
        .filter((e) => e.clinicId === clinicId && e.conversationId === conversationId)
        .map(({ clinicId: _clinic, ...entry }) => entry);
    },
    async list(staffId, query) {
      const all = rowsOf(staffId).filter((r) => inView(r.inbox, query.view, staffId));
      let start = 0;
      if (query.cursor) {
        const [time, id] = query.cursor.split("|");
        const at = Number(time);
        start = all.findIndex(
          ({ conversation: c }) =>
            c.lastActivityAt.getTime() < at || (c.lastActivityAt.getTime() === at && c.id < (id ?? "")),
        );
        if (start < 0) start = all.length;
      }
      const page = all.slice(start, start + query.limit);
      const items: InboxRow[] = page.map(({ conversation, inbox, readUpToSeq }) => ({
        conversation,
        inbox,
        participants: (world.participants.get(conversation.id) ?? []).map((p) => p.person),
        unreadCount: unreadOf(conversation.id, staffId, readUpToSeq),
        markedUnread: world.markedUnread.has(markKey(conversation.id, { kind: "staff", id: staffId })),
        lastMessage: lastMessageOf(conversation),
      }));
      const last = page[page.length - 1];
      const nextCursor =
        last && start + query.limit < all.length
          ? `${last.conversation.lastActivityAt.getTime()}|${last.conversation.id}`
          : null;
      return { items, nextCursor };
    },
    async counts(staffId) {
      const rows = rowsOf(staffId);
      const counts = Object.fromEntries(inboxViews.map((v) => [v, 0])) as Record<
        (typeof inboxViews)[number],
        number
      >;
      for (const row of rows) for (const v of inboxViews) if (inView(row.inbox, v, staffId)) counts[v]++;
      return counts;
    },
    async setMarkedUnread(conversationId, person, marked) {
      const participants = inClinic(world.conversations.get(conversationId))
        ? (world.participants.get(conversationId) ?? [])
        : [];
      if (!participants.some((p) => samePerson(p.person, person))) return;
      if (marked) world.markedUnread.set(markKey(conversationId, person), true);
      else world.markedUnread.delete(markKey(conversationId, person));
    },
  };
  return store;
}
