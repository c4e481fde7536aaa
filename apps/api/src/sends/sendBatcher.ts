import type { Actor, MessageView, SendInput, SendOutcome, SendRequest } from "@clinic-chat/domain";
import { answerEach, type Waiting } from "../batching/tickBatcher";

/** Sends text messages (MSG-1), several at a time when many arrive together. */
export interface SendBatcher {
  /** Sends one message: the answer, or the error, that `sendMessage` would give. */
  send(actor: Actor, input: SendInput): Promise<MessageView>;
}

/** Options of {@link createSendBatcher}. */
export interface SendBatcherOptions {
  /** Most batches in flight at once; each holds one database connection (default 4). */
  readonly concurrency?: number;
  /** Most sends in one batch (default 64). */
  readonly maxBatch?: number;
}

interface Pending extends Waiting<MessageView> {
  readonly request: SendRequest;
}

/**
 * Gathers the sends that arrive while others are in flight into batches for `sendMessages`: each
 * batch holds sends of one clinic, at most one per conversation. A send into a conversation that
 * a queued or in-flight send goes to waits until that one is answered, so the messages of a
 * conversation are numbered in the order their sends reached this process. A send that finds a batch
 * slot free goes out at once, after the I/O of its tick (so the requests read in one go leave
 * together); under load, the sends that queued while every slot was busy leave together when one
 * frees. Each caller gets its own send's answer or refusal.
 *
 * The batches are formed here rather than by the shared tick batcher (DataLoader): a DataLoader
 * batch takes every item of its window, while these take one clinic and one send per conversation,
 * leave a send queued across windows until its conversation is free, and bound the batches in flight.
 */
export function createSendBatcher(
  sendMessages: (requests: readonly SendRequest[]) => Promise<SendOutcome[]>,
  options: SendBatcherOptions = {},
): SendBatcher {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxBatch = Math.max(1, options.maxBatch ?? 64);
  let queue: Pending[] = [];
  let running = 0;
  let scheduled = false;
  /** Conversations with a send in a batch in flight: their next send waits until it is answered. */
  const busy = new Set<string>();

  /**
   * The next batch: sends of the first clinic found, one per conversation, in arrival order,
   * none into a conversation a batch in flight is sending to (empty when every queued send waits).
   */
  const take = (): Pending[] => {
    let clinicId: string | null = null;
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const conversations = new Set<string>();
    for (const pending of queue) {
      const { actor, input } = pending.request;
      const free = !busy.has(input.conversationId) && !conversations.has(input.conversationId);
      // A send that waits holds back every later send to its conversation (their order stays).
      conversations.add(input.conversationId);
      if (free && batch.length < maxBatch && (clinicId === null || actor.clinicId === clinicId)) {
        clinicId = actor.clinicId;
        batch.push(pending);
      } else {
        rest.push(pending);
      }
    }
    queue = rest;
    return batch;
  };

  const run = (batch: Pending[]): Promise<void> =>
    answerEach(batch, async () =>
      (await sendMessages(batch.map((p) => p.request))).map((outcome) =>
        outcome.ok ? { ok: true, value: outcome.message } : outcome,
      ),
    );

  const pump = (): void => {
    scheduled = false;
    while (running < concurrency && queue.length > 0) {
      const batch = take();
      if (batch.length === 0) return;
      const conversations = batch.map((p) => p.request.input.conversationId);
      for (const id of conversations) busy.add(id);
      running += 1;
      void run(batch).finally(() => {
        for (const id of conversations) busy.delete(id);
        running -= 1;
        pump();
      });
    }
  };

  return {
    send(actor, input) {
      return new Promise<MessageView>((resolve, reject) => {
        queue.push({ request: { actor, input }, resolve, reject });
        if (!scheduled && running < concurrency) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
  };
}
