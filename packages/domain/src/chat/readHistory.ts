import type { AuditAction, AuditEvent } from "../audit/AuditEvent";
import type { Actor } from "../people/people";
import { audited, auditRecord, recordAudit } from "../shared/audited";
import { DomainError, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { decideReads } from "./decideReads";
import { type MessageView, messageViews } from "./views";

/** Largest history page. */
export const maxHistoryPage = 100;

/** A page of a conversation's history, as {@link readHistory} answers it. */
export interface HistoryPage {
  messages: MessageView[];
  nextBeforeSeq: number | null;
}

/** One read of {@link readHistories}: what {@link readHistory} takes, with its actor. */
export interface HistoryRead {
  readonly actor: Actor;
  readonly conversationId: string;
  readonly beforeSeq: number | null;
  readonly limit: number;
  /**
   * Every address the page goes to, when one read serves several of the person's devices (the
   * live path: each of their open streams). An allowed read records one `success` per distinct
   * address, so the audit trail names each place the content reached (SEC-3). When absent or
   * empty: the actor's own address.
   */
  readonly addresses?: readonly (string | null)[];
}

/** The answer to one read of {@link readHistories}: its page, or the refusal readHistory would have thrown. */
export type HistoryReadResult =
  | { readonly ok: true; readonly value: HistoryPage }
  | { readonly ok: false; readonly error: DomainError };

const readAction: AuditAction = "conversation.read_history";

/** The page size rule of a history read (checked after access, as it always was). */
function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxHistoryPage) {
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit", max: maxHistoryPage });
  }
}

/** The page of an allowed read, with its views. */
async function readPage(
  stores: Stores,
  conversationId: string,
  beforeSeq: number | null,
  limit: number,
): Promise<HistoryPage> {
  const page = await stores.messages.history(conversationId, { limit, beforeSeq });
  const oldest = page[page.length - 1];
  return {
    messages: await messageViews(stores, page),
    nextBeforeSeq: oldest && oldest.seq > 1 ? oldest.seq : null,
  };
}

/**
 * A page of a conversation's history, newest first, before a sequence number (a cursor, never
 * an offset). `nextBeforeSeq` continues to older messages; null when there are none.
 */
export function readHistory(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string; beforeSeq?: number | null; limit: number },
): Promise<HistoryPage> {
  return audited(deps, actor, readAction, async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const reading = { at: deps.clock.now() };
    const decision = (
      await decideReads(stores, [{ actor, conversationId: input.conversationId }], reading)
    )[0]!;
    if (!decision.ok) throw decision.error;
    checkLimit(input.limit);
    return readPage(stores, decision.standing.conversation.id, input.beforeSeq ?? null, input.limit);
  });
}

/**
 * Several {@link readHistory} calls of one clinic as one unit of work (the live path's reads of
 * one tick): one result per read, in order, each with exactly the authorization, answer and audit
 * record that read would have had alone (SEC-3, ELIG-4/5/6, ENT-4).
 *
 * Inside one `uow.run(clinicId)`: the readers and their standing in the conversations they read are
 * read together, each read is decided as readHistory decides (access, then the limit), the
 * pages of the allowed reads are read concurrently, and each allowed read appends its `success`
 * record (one per distinct address it goes to, see {@link HistoryRead.addresses}). A refused read
 * answers `{ ok: false, error }` and its `denied` record (with the reason code) is written
 * afterwards in a unit of work of its own, as `audited` does; if writing one
 * fails, the call rejects with that failure, as readHistory did. A failure of the shared unit of
 * work (not a refusal) records `failure` for every read, best effort, and rejects.
 *
 * A read whose actor is not of `clinicId` answers NOT_FOUND (what readHistory answers for another
 * clinic's conversation) and touches nothing, not even the audit trail: it is a caller's mistake,
 * never a read. An empty list answers [] without a unit of work.
 */
export async function readHistories(
  deps: ChatDeps,
  clinicId: string,
  reads: readonly HistoryRead[],
): Promise<HistoryReadResult[]> {
  // Each of the clinic's reads gets its answer below; an error is made only where one is answered
  // (making one captures a stack, which a live delivery would otherwise pay for every read).
  const results: HistoryReadResult[] = new Array(reads.length);
  const mine: number[] = [];
  for (const [index, read] of reads.entries()) {
    if (read.actor.clinicId === clinicId) mine.push(index);
    else results[index] = { ok: false, error: new DomainError("NOT_FOUND") };
  }
  if (mine.length === 0) return results;
  let refused: { index: number; error: DomainError }[];
  try {
    refused = await deps.uow.run(clinicId, async (stores) => {
      const decisions = await decideReads(
        stores,
        mine.map((i) => reads[i]!),
        { at: deps.clock.now() },
      );
      const allowed: { index: number; conversationId: string }[] = [];
      const denied: { index: number; error: DomainError }[] = [];
      for (const [k, index] of mine.entries()) {
        const read = reads[index]!;
        const decision = decisions[k]!;
        try {
          if (!decision.ok) throw decision.error;
          checkLimit(read.limit);
          allowed.push({ index, conversationId: decision.standing.conversation.id });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          denied.push({ index, error });
        }
      }
      const pages = await Promise.all(
        allowed.map(({ index, conversationId }) =>
          readPage(stores, conversationId, reads[index]!.beforeSeq, reads[index]!.limit),
        ),
      );
      const records: AuditEvent[] = [];
      for (const [k, { index }] of allowed.entries()) {
        const read = reads[index]!;
        const addresses = read.addresses?.length ? read.addresses : [read.actor.ip ?? null];
        for (const ip of new Set(addresses)) {
          records.push(
            auditRecord(
              deps,
              { ...read.actor, ip },
              readAction,
              { conversationId: read.conversationId },
              "success",
              null,
            ),
          );
        }
        results[index] = { ok: true, value: pages[k]! };
      }
      await stores.audit.appendAll(records);
      return denied;
    });
  } catch (error) {
    for (const index of mine) {
      const read = reads[index]!;
      await recordAudit(
        deps,
        read.actor,
        readAction,
        { conversationId: read.conversationId },
        "failure",
        null,
      ).catch(() => undefined);
    }
    throw error;
  }
  const recorded = await Promise.allSettled(
    refused.map(({ index, error }) => {
      const read = reads[index]!;
      results[index] = { ok: false, error };
      return recordAudit(
        deps,
        read.actor,
        readAction,
        { conversationId: read.conversationId },
        "denied",
        error.code,
      );
    }),
  );
  for (const outcome of recorded) if (outcome.status === "rejected") throw outcome.reason;
  return results;
}
