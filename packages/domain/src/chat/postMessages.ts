import { followPostsInInbox, routedToAssignee } from "../inbox/afterPosting";
import type { NotificationState } from "../notifications/model";
import {
  type NotificationChanges,
  noNotificationChanges,
  saveNotificationChanges,
} from "../notifications/notificationChanges";
import {
  notifiableKinds,
  notifiableRecipients,
  shouldNotify,
  stepReserved,
} from "../notifications/notifyRecipients";
import { type Actor, personKey } from "../people/people";
import { searchTermsOf } from "../search/words";
import type { ActionOutcome } from "../shared/audited";
import { refuse } from "../shared/Decision";
import { DomainError, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { eventsOfPost, tellHost } from "../webhooks/tellHost";
import { decidePostingAccess, type PostingAccess } from "./loadConversation";
import type { Message, MessageBody } from "./Message";
import { checkMessageText } from "./messageRules";

/** What a post carries: a text as typed, or an uploaded file whose bytes passed the checks. */
export type PostContent =
  | { readonly kind: "text"; readonly text: string }
  | {
      readonly kind: "file";
      readonly fileId: string;
      /** The size and type checked from the bytes (FILE-2), kept with the file as it is posted. */
      readonly checked: { readonly sizeBytes: number; readonly contentType: string };
    };

/** One post: who posts what where, and the client id that makes a retry safe (MSG-1). */
export interface PostRequest {
  readonly actor: Actor;
  readonly conversationId: string;
  readonly clientId: string;
  readonly content: PostContent;
}

/** A post's message: posted now (`created`), or the one a retry with its client id posted before. */
export interface Posted {
  readonly message: Message;
  readonly created: boolean;
}

/**
 * Posts messages of one clinic, each into a different conversation, in the caller's unit of work
 * (MSG-1): each request is decided on its own and a refusal refuses it alone, having written
 * nothing for it. A post's message is numbered next in its conversation, with its live event and
 * its recipients' notification scheduling (NOTIF-1, NOTIF-3) in the same unit of work (the outbox
 * of ARCHITECTURE.md); a file post also marks its file ready. A patient conversation's inbox
 * follows each post in the same unit of work (INBOX-1, INBOX-2, HOURS-3), and a patient's message
 * notifies its assignee only (INBOX-4). A text is indexed for search there too (SRCH-1). The host's webhook events are recorded there too (INTEG-4). A retry of a post with the same
 * client id gets the message posted before, even when a new one would be refused now.
 */
export async function postMessages(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  requests: readonly PostRequest[],
): Promise<ActionOutcome<Posted>[]> {
  if (new Set(requests.map((r) => r.conversationId)).size !== requests.length) {
    throw new Error("one post per conversation");
  }
  const texts = requests.map((r) => (r.content.kind === "text" ? checkMessageText(r.content.text) : null));
  const facts = await stores.conversations.reserveForPosting(
    requests.map((r, i) => ({
      conversationId: r.conversationId,
      person: r.actor.person,
      clientId: r.clientId,
      // A text that cannot be sent notifies nobody: no state need be reserved for it.
      recipientsToNotify: texts[i]?.ok === false ? [] : notifiableKinds(r.actor.person),
    })),
  );
  const outcomes: ActionOutcome<Posted>[] = [];
  const posts: { request: PostRequest; access: PostingAccess; message: Message }[] = [];
  for (const [i, request] of requests.entries()) {
    try {
      const access = decidePostingAccess(request.actor, facts[i]!);
      const sentBefore = access.sentBefore;
      if (sentBefore) {
        if (!sameContent(sentBefore.body, request.content)) {
          throw new DomainError("CONFLICT", "CONFLICT", { field: "clientId" });
        }
        outcomes.push({ ok: true, value: { message: sentBefore, created: false } });
        continue;
      }
      const message = draftMessage(deps, request, access, bodyOf(request.content, texts[i] ?? null, access));
      posts.push({ request, access, message });
      outcomes.push({ ok: true, value: { message, created: true } });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcomes.push({ ok: false, error });
    }
  }
  for (const { request } of posts) {
    if (request.content.kind === "file") {
      await stores.files.markReady(request.content.fileId, request.content.checked);
    }
  }
  await stores.messages.post(posts.map((p) => p.message));
  // SRCH-1: a text is found from the moment it is posted; file names are not searched.
  await stores.search.add(
    posts.flatMap(({ message }) =>
      message.body.kind === "text"
        ? [
            {
              messageId: message.id,
              conversationId: message.conversationId,
              sentAt: message.sentAt,
              terms: searchTermsOf(message.body.text),
            },
          ]
        : [],
    ),
  );
  await followPostsInInbox(
    deps,
    stores,
    posts.flatMap(({ access, message }) =>
      access.inbox ? [{ clinic: access.clinic, before: access.inbox, message }] : [],
    ),
  );
  for (const { access, message } of posts) {
    const participants = access.participants.map((p) => p.ref);
    await tellHost(stores, access.clinic, eventsOfPost(access.conversation, message, participants));
  }
  // Two conversations can share a recipient: the second post sees the state the first left. What
  // every post changes is saved together.
  const states = new Map<string, NotificationState>();
  const changes = noNotificationChanges();
  for (const { request, access, message } of posts) {
    await notifyPosted(deps, stores, request.actor, access, message, states, changes);
  }
  await saveNotificationChanges(stores, changes);
  return outcomes;
}

/** Whether a message sent before with the client id is this post's (a retry), not another's. */
function sameContent(body: MessageBody, content: PostContent): boolean {
  return content.kind === "text"
    ? body.kind === "text"
    : body.kind === "file" && body.fileId === content.fileId;
}

/**
 * The new message's body, or the refusal: the text must be sendable and the composer open for
 * its kind (ENT-1, ENT-3, ELIG-1, FILE-1).
 */
function bodyOf(
  content: PostContent,
  text: ReturnType<typeof checkMessageText> | null,
  access: PostingAccess,
): Exclude<MessageBody, { kind: "deleted" }> {
  if (content.kind === "file") {
    if (!access.composer.file.allowed) refuse(access.composer.file);
    return { kind: "file", fileId: content.fileId };
  }
  const checked = text ?? checkMessageText(content.text);
  if (!checked.ok) refuse(checked.decision);
  if (!access.composer.text.allowed) refuse(access.composer.text);
  return { kind: "text", text: checked.text };
}

/** The message a post adds: numbered next after the last number of its reserved conversation. */
function draftMessage(
  deps: Pick<ChatDeps, "clock" | "ids">,
  request: PostRequest,
  access: PostingAccess,
  body: Exclude<MessageBody, { kind: "deleted" }>,
): Message {
  return {
    id: deps.ids.newId(),
    clinicId: access.clinic.id,
    conversationId: access.conversation.id,
    seq: access.conversation.lastSeq + 1,
    clientId: request.clientId,
    sender: request.actor.person,
    sentAt: deps.clock.now(),
    body,
  };
}

/**
 * The notification scheduling of a posted message (NOTIF-1, NOTIF-3), kept in `changes` for the
 * caller to save. `current` holds the states this unit of work changed since they were reserved
 * (posts into several conversations can share a recipient): those count instead of the reserved
 * ones, and each recipient's new state is written back to it.
 */
async function notifyPosted(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  actor: Actor,
  access: PostingAccess,
  message: Message,
  current: Map<string, NotificationState>,
  changes: NotificationChanges,
): Promise<void> {
  const recipients = routedToAssignee(
    notifiableRecipients(access.participants.filter((p) => shouldNotify(actor.person, p.ref))),
    actor.person,
    access.inbox,
  );
  if (recipients.length === 0) return;
  const reserved = new Map(access.recipientStates.map((s) => [personKey(s.person), s.state]));
  // Everyone notifiable was reserved with the conversation; one who joined in between is reserved now.
  const missing = recipients.filter((r) => !reserved.has(personKey(r.person)));
  if (missing.length > 0) {
    const states = await stores.notifications.reserveStates(missing.map((r) => r.person));
    for (const [i, r] of missing.entries())
      reserved.set(personKey(r.person), states[i] ?? { status: "idle" });
  }
  const states = recipients.map((r): NotificationState => {
    const key = personKey(r.person);
    return current.get(key) ?? reserved.get(key) ?? { status: "idle" };
  });
  const cause = {
    type: "message.posted",
    message: { messageId: message.id, conversationId: message.conversationId, seq: message.seq },
  } as const;
  const after = await stepReserved(deps, stores, access.clinic, recipients, states, cause, changes);
  for (const [i, r] of recipients.entries()) current.set(personKey(r.person), after[i] ?? states[i]!);
}
