import type { ClinicChat, HistoryPage, HistoryRead } from "@clinic-chat/domain";

/**
 * The live path's history reads (SEC-3): each one answers, or throws, exactly as the domain's
 * `readHistory` would for it.
 */
export interface LiveHistoryReads {
  read(chat: ClinicChat, read: HistoryRead): Promise<HistoryPage>;
}

/** A pipeline's read waiting for the tick's one unit of work. */
interface PendingRead {
  readonly read: HistoryRead;
  readonly resolve: (page: HistoryPage) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * One hub's history reads, one unit of work per clinic per tick instead of one per read: the reads
 * asked in one tick (the pipelines of one batch's people reach theirs after the same awaits) wait
 * for one microtask queued behind them, then go to the domain as one `readHistories` call per
 * clinic (and per set of use cases, in practice one). Each caller gets its own read's page, or the
 * DomainError readHistory would have thrown for it, with the same authorization and audit record
 * (the actor's address, SEC-3). When that call fails, every read of it rejects, as a failed read
 * did alone.
 */
export function liveHistoryReads(): LiveHistoryReads {
  let pending: { chat: ClinicChat; check: PendingRead }[] = [];
  const run = async (chat: ClinicChat, clinicId: string, batch: readonly PendingRead[]) => {
    try {
      const results = await chat.readHistories(
        clinicId,
        batch.map((check) => check.read),
      );
      for (const [i, check] of batch.entries()) {
        const result = results[i];
        if (!result) check.reject(new Error("readHistories answered fewer reads than asked"));
        else if (result.ok) check.resolve(result.value);
        else check.reject(result.error);
      }
    } catch (error) {
      for (const check of batch) check.reject(error);
    }
  };
  const flush = () => {
    const asked = pending;
    pending = [];
    const groups = new Map<ClinicChat, Map<string, PendingRead[]>>();
    for (const { chat, check } of asked) {
      let byClinic = groups.get(chat);
      if (!byClinic) {
        byClinic = new Map();
        groups.set(chat, byClinic);
      }
      const clinicId = check.read.actor.clinicId;
      const list = byClinic.get(clinicId);
      if (list) list.push(check);
      else byClinic.set(clinicId, [check]);
    }
    for (const [chat, byClinic] of groups)
      for (const [clinicId, batch] of byClinic) void run(chat, clinicId, batch);
  };
  return {
    read(chat, read) {
      return new Promise<HistoryPage>((resolve, reject) => {
        if (pending.length === 0) queueMicrotask(flush);
        pending.push({ chat, check: { read, resolve, reject } });
      });
    },
  };
}
