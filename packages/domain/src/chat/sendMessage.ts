import type { AuditEvent } from "../audit/AuditEvent";
import type { NotificationState } from "../notifications/model";
import { notifiableKinds } from "../notifications/notifyRecipients";
import type { Actor } from "../people/people";
import { type AuditTargets, audited, auditRecord } from "../shared/audited";
import { refuse } from "../shared/Decision";
import { DomainError, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { decidePostAccess, loadConversationForPost, type PostAccess } from "./loadConversation";
import type { Message } from "./Message";
import { checkMessageText } from "./messageRules";
import type { PostAccessQuery } from "./ports";
import { draftUnderLock, notifyPosted, postUnderLock } from "./postMessage";
import { type MessageView, messageView } from "./views";

/** What a person sends: the text, where to, and the client id that makes a retry safe (MSG-1). */
export interface SendInput {
  readonly conversationId: string;
  readonly clientId: string;
  readonly text: string;
}

/**
 * Sends a text message (MSG-1). Idempotent: the sender's `clientId` makes a retried send return
 * the message it already created, never a duplicate. Refused while the composer is disabled for
 * text (ENT-1, ENT-3, ELIG-1), with the reason.
 */
export function sendMessage(deps: ChatDeps, actor: Actor, input: SendInput): Promise<MessageView> {
  return audited(deps, actor, "message.send", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const checked = checkMessageText(input.text);
    // One read, under the conversation's lock: the access facts, the message a retry sent before
    // (an overlapping retry waits for the lock, then finds it) and, when the text could be sent,
    // the possible recipients' notification states, locked.
    const access = await loadConversationForPost(
      stores,
      actor,
      input.conversationId,
      postQuery(actor, input, checked),
    );
    const decided = decideSend(access, checked);
    if (decided.sentBefore) {
      targets.messageId = decided.sentBefore.id;
      return messageView(decided.sentBefore, null);
    }
    const message = await postUnderLock(deps, stores, actor, access, input.clientId, {
      kind: "text",
      text: decided.text,
    });
    targets.messageId = message.id;
    return messageView(message, null);
  });
}

/** One send of {@link sendMessages}. */
export interface SendRequest {
  readonly actor: Actor;
  readonly input: SendInput;
}

/** What became of one send of {@link sendMessages}: its message, or what {@link sendMessage} would have thrown. */
export type SendOutcome =
  | { readonly ok: true; readonly message: MessageView }
  | { readonly ok: false; readonly error: unknown };

/** Options of {@link sendMessages}. */
export interface SendMessagesOptions {
  /**
   * Told when the shared unit of work failed as a whole and the sends ran again one by one (with
   * the error and the number of sends): for the operators' log, since the answers hide it.
   */
  readonly onSharedFailure?: (error: unknown, sends: number) => void;
}

/**
 * Several sends of one clinic, each into a different conversation, in one unit of work: each gets
 * the answer, the audit record (SEC-3) and the writes {@link sendMessage} would give it, and a
 * refusal of one refuses that one only (MSG-1, ENT-1, ENT-3, ELIG-1). The conversations are read
 * and locked together, and the messages and audit records written together, which costs the
 * database far less than one unit of work per send.
 *
 * A refused send writes nothing but its `denied` record, so it shares the unit of work with the
 * others. When the unit of work fails as a whole (the database failed, say), nothing of it
 * committed: every send then runs again on its own, so a failure fails only the send it belongs
 * to (sends are idempotent by client id, so a send whose commit went through finds its message).
 */
export async function sendMessages(
  deps: ChatDeps,
  requests: readonly SendRequest[],
  options: SendMessagesOptions = {},
): Promise<SendOutcome[]> {
  const first = requests[0];
  if (!first) return [];
  const clinicId = first.actor.clinicId;
  if (requests.some((r) => r.actor.clinicId !== clinicId)) {
    throw new Error("sendMessages takes the sends of one clinic");
  }
  if (new Set(requests.map((r) => r.input.conversationId)).size !== requests.length) {
    throw new Error("sendMessages takes one send per conversation");
  }
  const alone = (r: SendRequest): Promise<SendOutcome> =>
    sendMessage(deps, r.actor, r.input).then(
      (message) => ({ ok: true, message }),
      (error: unknown) => ({ ok: false, error }),
    );
  if (requests.length === 1) return [await alone(first)];
  try {
    return await deps.uow.run(clinicId, (stores) => sendTogether(deps, stores, requests));
  } catch (error) {
    options.onSharedFailure?.(error, requests.length);
    return Promise.all(requests.map(alone));
  }
}

async function sendTogether(
  deps: ChatDeps,
  stores: Stores,
  requests: readonly SendRequest[],
): Promise<SendOutcome[]> {
  const checked = requests.map((r) => checkMessageText(r.input.text));
  const facts = await stores.conversations.accessForPosts(
    requests.map((r, i) => ({
      conversationId: r.input.conversationId,
      person: r.actor.person,
      ...postQuery(r.actor, r.input, checked[i]!),
    })),
  );
  const outcomes: SendOutcome[] = [];
  const records: AuditEvent[] = [];
  const posts: { actor: Actor; access: PostAccess; message: Message }[] = [];
  for (const [i, { actor, input }] of requests.entries()) {
    const targets: AuditTargets = { conversationId: input.conversationId };
    try {
      const access = decidePostAccess(actor, facts[i]!);
      const decided = decideSend(access, checked[i]!);
      const message =
        decided.sentBefore ??
        draftUnderLock(deps, actor, access, input.clientId, { kind: "text", text: decided.text });
      if (!decided.sentBefore) posts.push({ actor, access, message });
      targets.messageId = message.id;
      outcomes.push({ ok: true, message: messageView(message, null) });
      records.push(auditRecord(deps, actor, "message.send", targets, "success", null));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcomes.push({ ok: false, error });
      records.push(auditRecord(deps, actor, "message.send", targets, "denied", error.code));
    }
  }
  await stores.messages.postAll(posts.map((p) => p.message));
  // Two conversations can share a recipient: the second post sees the state the first left.
  const states = new Map<string, NotificationState>();
  for (const { actor, access, message } of posts) {
    await notifyPosted(deps, stores, actor, access, message, states);
  }
  await stores.audit.appendAll(records);
  return outcomes;
}

/** The read a send asks for: its client id, and the recipients' states when the text could be sent. */
function postQuery(
  actor: Actor,
  input: SendInput,
  checked: ReturnType<typeof checkMessageText>,
): PostAccessQuery {
  return { clientId: input.clientId, lockStatesOf: checked.ok ? notifiableKinds(actor.person) : [] };
}

/**
 * A send's decision, in {@link sendMessage}'s order: a retry of a message already sent gets that
 * message, even when a new one would be refused now; otherwise the text must be sendable and the
 * composer open for text. Throws the refusal.
 */
function decideSend(
  access: PostAccess,
  checked: ReturnType<typeof checkMessageText>,
): { sentBefore: Message; text?: never } | { sentBefore: null; text: string } {
  const existing = access.sentBefore;
  if (existing) {
    if (existing.body.kind !== "text") throw new DomainError("CONFLICT", "CONFLICT", { field: "clientId" });
    return { sentBefore: existing };
  }
  if (!checked.ok) refuse(checked.decision);
  if (!access.composer.text.allowed) refuse(access.composer.text);
  return { sentBefore: null, text: checked.text };
}
