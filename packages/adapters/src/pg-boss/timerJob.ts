import type { NotificationTimer } from "@clinic-chat/domain";

/** Ids longer than this are not ours: the job was not written by {@link timerJobData}. */
const maxIdLength = 200;

/** The job data of a timer: ids only, never content (NOTIF-4, SEC-5). */
export function timerJobData(timer: NotificationTimer): NotificationTimer {
  return {
    clinicId: timer.clinicId,
    recipient: { kind: timer.recipient.kind, id: timer.recipient.id },
    burstId: timer.burstId,
  };
}

/** One job per recipient per burst: the queue refuses a second one while the first waits. */
export function timerJobKey(timer: NotificationTimer): string {
  return `${timer.clinicId}|${timer.recipient.kind}:${timer.recipient.id}|${timer.burstId}`;
}

/**
 * The timer in a job's data, or null when the data is not one: a job written by another version
 * or by hand must not crash the worker, nor reach the domain half-formed.
 */
export function parseTimerJob(data: unknown): NotificationTimer | null {
  if (!isRecord(data) || !isRecord(data.recipient)) return null;
  const { clinicId, burstId } = data;
  const { kind, id } = data.recipient;
  if (!isId(clinicId) || !isId(burstId) || !isId(id)) return null;
  if (kind !== "staff" && kind !== "patient") return null;
  return { clinicId, recipient: { kind, id }, burstId };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= maxIdLength;
}
