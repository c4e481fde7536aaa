import type { Actor } from "../people/people";
import { type AuditedAction, type AuditedOptions, auditedEach, settled } from "../shared/audited";
import type { ChatDeps } from "../shared/deps";
import { type PostRequest, postMessages } from "./postMessages";
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
export async function sendMessage(deps: ChatDeps, actor: Actor, input: SendInput): Promise<MessageView> {
  const [outcome] = await sendEach(deps, [{ actor, input }]);
  return settled(outcome!);
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
 * refusal of one refuses that one only, with its own `denied` record (MSG-1, ENT-1, ENT-3,
 * ELIG-1).
 *
 * When the unit of work fails as a whole (the database failed, say), nothing of it committed:
 * every send then runs again on its own, so a failure fails only the send it belongs to (sends
 * are idempotent by client id, so a send whose unit of work went through finds its message).
 */
export async function sendMessages(
  deps: ChatDeps,
  requests: readonly SendRequest[],
  options: SendMessagesOptions = {},
): Promise<SendOutcome[]> {
  const alone = (r: SendRequest): Promise<SendOutcome> =>
    sendMessage(deps, r.actor, r.input).then(
      (message) => ({ ok: true, message }),
      (error: unknown) => ({ ok: false, error }),
    );
  const first = requests[0];
  if (!first) return [];
  if (requests.some((r) => r.actor.clinicId !== first.actor.clinicId)) {
    throw new Error("sendMessages takes the sends of one clinic");
  }
  if (new Set(requests.map((r) => r.input.conversationId)).size !== requests.length) {
    throw new Error("sendMessages takes one send per conversation");
  }
  if (requests.length === 1) return [await alone(first)];
  try {
    const outcomes = await sendEach(deps, requests, { retriedAlone: true });
    return outcomes.map((o) => (o.ok ? { ok: true, message: o.value } : o));
  } catch (error) {
    options.onSharedFailure?.(error, requests.length);
    return Promise.all(requests.map(alone));
  }
}

/** The sends posted together in one audited unit of work, each with its own answer and record. */
async function sendEach(deps: ChatDeps, requests: readonly SendRequest[], options: AuditedOptions = {}) {
  const actions: AuditedAction[] = requests.map((r) => ({
    actor: r.actor,
    action: "message.send",
    targets: { conversationId: r.input.conversationId },
  }));
  const posts = requests.map(
    (r): PostRequest => ({
      actor: r.actor,
      conversationId: r.input.conversationId,
      clientId: r.input.clientId,
      content: { kind: "text", text: r.input.text },
    }),
  );
  return auditedEach(
    deps,
    actions,
    async (stores) =>
      (await postMessages(deps, stores, posts)).map((outcome, i) => {
        if (!outcome.ok) return outcome;
        actions[i]!.targets.messageId = outcome.value.message.id;
        return { ok: true as const, value: messageView(outcome.value.message, null) };
      }),
    options,
  );
}
