import type { ClinicChat, HistoryPage, HistoryRead } from "@clinic-chat/domain";
import { createTickBatcher, type TickBatcher } from "../batching/tickBatcher";

/**
 * The live path's history reads (SEC-3): each one answers, or throws, exactly as the domain's
 * `readHistory` would for it.
 */
export interface LiveHistoryReads {
  read(chat: ClinicChat, read: HistoryRead): Promise<HistoryPage>;
}

/**
 * One hub's history reads, one unit of work per clinic per tick instead of one per read: the reads
 * asked in one tick (the pipelines of one batch's people reach theirs after the same awaits) wait
 * for the microtasks queued before them, then go to the domain as one `readHistories` call per
 * clinic (and per set of use cases, in practice one). Each caller gets its own read's page, or the
 * DomainError readHistory would have thrown for it, with the same authorization and audit record
 * (the actor's address, SEC-3). When that call fails, every read of it rejects, as a failed read
 * does alone; the other clinics' reads are answered on their own.
 */
export function liveHistoryReads(): LiveHistoryReads {
  const byChat = new WeakMap<ClinicChat, TickBatcher<HistoryRead, HistoryPage>>();
  const readsOf = (chat: ClinicChat): TickBatcher<HistoryRead, HistoryPage> => {
    const existing = byChat.get(chat);
    if (existing) return existing;
    const reads = createTickBatcher<HistoryRead, HistoryPage>(
      // Every read of a batch is of one clinic (groupOf), so the first read's clinic is the batch's.
      (asked) => chat.readHistories(asked[0]!.actor.clinicId, asked),
      { window: "microtasks", groupOf: (read) => read.actor.clinicId },
    );
    byChat.set(chat, reads);
    return reads;
  };
  return {
    read(chat, read) {
      return readsOf(chat).load(read);
    },
  };
}
