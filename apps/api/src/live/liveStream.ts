import {
  type Actor,
  type ClinicChat,
  type ConversationEvent,
  canAct,
  canSeeChat,
  type Decision,
  DomainError,
  isDomainError,
  type MessageView,
  maxHistoryPage,
  type PersonRef,
  type UnitOfWork,
} from "@clinic-chat/domain";
import { TRPCError, type TrackedEnvelope, tracked } from "@trpc/server";
import type { Session } from "../auth/session";
import { toTRPCError } from "../errors";
import type { LiveEvent } from "./LiveEvent";
import type { LiveHub, LiveSubscriber } from "./liveHub";
import type { LiveRequestCredentials, LiveSessionCheck } from "./liveSessions";

/** The feed as the streams need it (the Postgres `LiveEventFeed` is one). */
export interface LiveFeedSource {
  position(): number;
  readonly ready: Promise<void>;
}

/** Which conversations a person takes part in (the Postgres `LiveMembership` is one). */
export interface LiveMembershipSource {
  conversationsOf(clinicId: string, person: PersonRef): Promise<Set<string>>;
}

/** Tuning of the live streams. */
export interface LiveStreamOptions {
  /** Events per page when replaying after `lastEventId` (default 500). */
  readonly replayPageSize: number;
  /** How often an idle stream checks its session and its person again (default 30 s). */
  readonly recheckMs: number;
}

/** What every stream of a process shares. */
export interface LiveStreamDeps {
  readonly hub: LiveHub;
  readonly feed: LiveFeedSource;
  readonly membership: LiveMembershipSource;
  readonly sessions: LiveSessionCheck;
  readonly options: LiveStreamOptions;
}

/** One client's stream request. */
export interface LiveStreamRequest {
  /** The use cases and the unit of work, as for every other procedure. */
  readonly api: { readonly chat: ClinicChat; readonly uow: UnitOfWork };
  readonly session: Session;
  readonly actor: Actor;
  readonly credentials: LiveRequestCredentials;
  /** The id of the last event the client received, to resume after. */
  readonly lastEventId: number | null;
  readonly signal: AbortSignal | undefined;
}

function samePerson(a: PersonRef | null, b: PersonRef): boolean {
  return a !== null && a.kind === b.kind && a.id === b.id;
}

/** Codes that end the stream for good: the person may no longer act (ELIG-6). */
const endingCodes = new Set(["STAFF_INACTIVE", "PATIENT_PORTAL_INACTIVE"]);

/** A retryable end: the client reconnects (to this or another process) and resumes from its last id. */
function reconnect(): TRPCError {
  return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "reconnect" });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | "aborted"> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * One signed-in client's live stream (MSG-2): the events it missed since `lastEventId`, replayed
 * from its clinic's event log, then the feed's new events, in id order, each once, each with its id
 * for `tracked()`. Only what the person may see gets through: their clinic's events (ELIG-5), of
 * conversations they take part in (ELIG-4), and clinic-wide ones. New messages come with their
 * view, read through `readHistory` as the person (authorized and audited, SEC-3).
 */
export async function* liveStream(
  deps: LiveStreamDeps,
  request: LiveStreamRequest,
): AsyncGenerator<TrackedEnvelope<LiveEvent>, void, unknown> {
  const { api, session, actor, signal } = request;
  const me = session.person;
  if ((await abortable(deps.feed.ready, signal)) === "aborted") return;
  const subscriber = deps.hub.subscribe(session.clinicId, me, deps.feed.position(), request.lastEventId);
  if (!subscriber.open) throw reconnect();
  let seesChat = true;

  const ensureSignedIn = async () => {
    if (!(await deps.sessions.stillSignedIn(session, request.credentials)))
      throw new TRPCError({ code: "UNAUTHORIZED" });
  };

  // ELIG-6 ends the stream; a patient whose clinic turned patient chat off keeps only clinic-wide events.
  const checkStanding = async () => {
    const standing = await api.uow.run(
      session.clinicId,
      async (stores): Promise<Decision & { seesChat: boolean }> => {
        const clinic = await stores.clinics.get(session.clinicId);
        const staff = me.kind === "staff" ? await stores.directory.staffMember(me.id) : null;
        const patient = me.kind === "patient" ? await stores.directory.patient(me.id) : null;
        const person = staff
          ? { kind: "staff" as const, staff }
          : patient
            ? { kind: "patient" as const, patient }
            : null;
        if (!clinic || !person) return { allowed: false, reason: "NOT_FOUND", seesChat: false };
        return { ...canAct(person), seesChat: canSeeChat(clinic, person).allowed };
      },
    );
    if (!standing.allowed) throw toTRPCError(new DomainError(standing.reason));
    seesChat = standing.seesChat;
  };

  /** The views of new messages, by message id; a conversation the person cannot read gives none. */
  const loadMessages = async (posted: readonly ConversationEvent[]): Promise<Map<string, MessageView>> => {
    const views = new Map<string, MessageView>();
    const seqsByConversation = new Map<string, number[]>();
    for (const event of posted) {
      if (event.conversationId === null || event.seq === null) continue;
      const seqs = seqsByConversation.get(event.conversationId) ?? [];
      seqs.push(event.seq);
      seqsByConversation.set(event.conversationId, seqs);
    }
    for (const [conversationId, seqs] of seqsByConversation) {
      seqs.sort((a, b) => a - b);
      let i = 0;
      while (i < seqs.length) {
        const first = seqs[i]!;
        let last = first;
        while (i < seqs.length && seqs[i]! - first < maxHistoryPage) last = seqs[i++]!;
        try {
          const page = await api.chat.readHistory(actor, {
            conversationId,
            beforeSeq: last + 1,
            limit: last - first + 1,
          });
          for (const message of page.messages) views.set(message.id, message);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          if (endingCodes.has(error.code)) throw toTRPCError(error);
          if (error.code === "PATIENT_CHAT_OFF") seesChat = false;
          // NOT_FOUND: no longer a participant; its events are left out from now on.
          subscriber.membership?.delete(conversationId);
          break;
        }
      }
    }
    return views;
  };

  /** Decides, loads and sends one batch, in id order. */
  async function* send(
    events: readonly ConversationEvent[],
    sub: LiveSubscriber,
  ): AsyncGenerator<TrackedEnvelope<LiveEvent>, void, unknown> {
    if (events.length === 0) return;
    await ensureSignedIn();
    if (events.some((event) => event.type === "clinic.entitlements_changed")) await checkStanding();
    const membership = sub.membership ?? new Set<string>();
    const unknown = [
      ...new Set(
        events
          .filter((e) => e.type === "conversation.created" && e.conversationId !== null)
          .map((e) => e.conversationId!)
          .filter((id) => !membership.has(id)),
      ),
    ];
    if (unknown.length > 0) {
      const joined = await api.uow.run(session.clinicId, async (stores) => {
        const found: string[] = [];
        for (const id of unknown) if (await stores.conversations.participant(id, me)) found.push(id);
        return found;
      });
      for (const id of joined) membership.add(id);
      for (const id of unknown) sub.unsure.delete(id);
    }
    const visible: ConversationEvent[] = [];
    for (const event of events) {
      const conversationId = event.conversationId;
      if (conversationId === null) {
        visible.push(event);
        continue;
      }
      if (!seesChat) continue;
      if (event.type === "participant.added" && samePerson(event.person, me)) membership.add(conversationId);
      if (membership.has(conversationId)) visible.push(event);
    }
    const messages = await loadMessages(visible.filter((event) => event.type === "message.posted"));
    const myRead = visible.some(
      (event) => event.type === "conversation.read" && samePerson(event.person, me),
    );
    const totalUnread = myRead
      ? await api.uow.run(session.clinicId, (stores) => stores.conversations.totalUnread(me))
      : null;
    for (const event of visible) {
      const live = toLiveEvent(event, messages, me, totalUnread, membership);
      if (live) yield tracked(String(event.id), live);
    }
  }

  try {
    await ensureSignedIn();
    await checkStanding();
    subscriber.membership = await deps.membership.conversationsOf(session.clinicId, me);

    // Replay what the client missed, from the clinic's own log (RLS-bound), up to where the feed took over.
    let from = request.lastEventId;
    while (from !== null && from < subscriber.position) {
      const after = from;
      const page = await api.uow.run(session.clinicId, (stores) =>
        stores.events.after(after, deps.options.replayPageSize),
      );
      const inRange = page.filter((event) => event.id <= subscriber.position);
      yield* send(inRange, subscriber);
      const last = page.at(-1);
      from = last && page.length === deps.options.replayPageSize ? last.id : null;
    }
    // Everything up to here is sent; the events waiting in the buffer all come after it.
    yield tracked(String(Math.max(subscriber.position, request.lastEventId ?? 0)), { type: "ready" });

    for (;;) {
      const next = await subscriber.take(signal, deps.options.recheckMs);
      switch (next.kind) {
        case "aborted":
          return;
        case "dropped":
        case "closed":
          throw reconnect();
        case "timeout":
          await ensureSignedIn();
          await checkStanding();
          break;
        case "events":
          yield* send(next.events, subscriber);
          break;
      }
    }
  } catch (error) {
    if (isDomainError(error)) throw toTRPCError(error);
    throw error;
  } finally {
    subscriber.end("closed");
  }
}

function toLiveEvent(
  event: ConversationEvent,
  messages: ReadonlyMap<string, MessageView>,
  me: PersonRef,
  totalUnread: number | null,
  membership: ReadonlySet<string>,
): LiveEvent | null {
  const conversationId = event.conversationId;
  if (event.type === "clinic.entitlements_changed") return { type: event.type, at: event.at };
  if (conversationId === null || !membership.has(conversationId)) return null;
  switch (event.type) {
    case "message.posted": {
      const message = event.messageId ? messages.get(event.messageId) : undefined;
      return message ? { type: event.type, conversationId, message } : null;
    }
    case "message.deleted":
      return event.messageId
        ? {
            type: event.type,
            conversationId,
            messageId: event.messageId,
            deletedBy: event.person,
            at: event.at,
          }
        : null;
    case "conversation.read":
      return {
        type: event.type,
        conversationId,
        person: event.person,
        readUpToSeq: event.seq ?? 0,
        totalUnread: samePerson(event.person, me) ? totalUnread : null,
      };
    case "conversation.created":
      return { type: event.type, conversationId, by: event.person, at: event.at };
    case "participant.added":
      return { type: event.type, conversationId, person: event.person, at: event.at };
  }
}
