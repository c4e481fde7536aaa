import { addDays, instantAt, wallClockAt } from "../hours/zonedTime";
import { loadActing } from "../people/loadPerson";
import { type Actor, type PersonRef, parsePersonKey, personKey } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { StoredAuditEvent } from "./AuditEvent";
import type { AuditQuery } from "./AuditLog";
import { nameRecords, patientLabel, patientOf, personLabel, termsOf } from "./auditNames";
import { auditSentence } from "./auditSentences";

/** What an admin filters the trail by (REC-6). */
export interface AuditFilters extends Omit<AuditQuery, "limit" | "cursor"> {
  /** First day shown, a date of the clinic's calendar (YYYY-MM-DD), from its midnight in the clinic's zone. */
  readonly fromDay?: string | null;
  /** Last day shown, included, a date of the clinic's calendar. */
  readonly toDay?: string | null;
}

/** One record as an admin reads it: the record's ids, with names and a sentence (REC-6). */
export interface AuditEntry extends StoredAuditEvent {
  /** The record in words: "Dr Ana Ruiz (admin) downloaded MRI.pdf from the conversation with …". */
  readonly sentence: string;
  /** Who acted, in words ("The practice system" when a credential did). */
  readonly actorName: string;
  /** When, on the clinic's wall clock: "2026-03-02 14:05". */
  readonly localTime: string;
  /** The patient the record is about, to filter by them; null when none. */
  readonly patient: { readonly id: string; readonly name: string } | null;
}

/** A page of the readable trail, with the filters' people named and the clinic's zone. */
export interface AuditTrailPage {
  readonly items: AuditEntry[];
  readonly nextCursor: string | null;
  readonly filterNames: { readonly actor: string | null; readonly patient: string | null };
  readonly timeZone: string;
}

/** YYYY-MM-DD naming a day that exists (not the 31st of February). */
function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

/** The filters as the store's query, days turned into instants of the clinic's zone. */
function queryOf(filters: AuditFilters, timeZone: string, limit: number, cursor: string | null): AuditQuery {
  for (const field of ["fromDay", "toDay"] as const) {
    const day = filters[field];
    if (day && !isCalendarDay(day)) throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field });
  }
  const latest = (a: Date | null | undefined, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
  const earliest = (a: Date | null | undefined, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
  const fromDay = filters.fromDay ? instantAt(filters.fromDay, 0, timeZone) : null;
  const toDay = filters.toDay ? instantAt(addDays(filters.toDay, 1), 0, timeZone) : null;
  return {
    limit,
    cursor,
    action: filters.action ?? null,
    conversationId: filters.conversationId ?? null,
    actorKey: filters.actorKey ?? null,
    patientId: filters.patientId ?? null,
    from: latest(filters.from, fromDay),
    to: earliest(filters.to, toDay),
  };
}

/** A page of records with names and sentences, the names of a whole page read at once per kind. */
async function readablePage(
  stores: Stores,
  actor: Actor,
  filters: AuditFilters,
  limit: number,
  cursor: string | null,
): Promise<AuditTrailPage> {
  await loadActing(stores, actor, { as: "admin" });
  if (!Number.isInteger(limit) || limit < 1)
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit" });
  const clinic = await stores.clinics.get(actor.clinicId);
  if (!clinic) throw new DomainError("NOT_FOUND");
  const page = await stores.audit.list(queryOf(filters, clinic.timeZone, limit, cursor));
  const filterActor = filters.actorKey ? parsePersonKey(filters.actorKey) : null;
  const filterPatient: PersonRef | null = filters.patientId
    ? { kind: "patient", id: filters.patientId }
    : null;
  const extra = [filterActor, filterPatient].filter((r): r is PersonRef => r !== null);
  const names = await nameRecords(stores, page.items, extra);
  const items = page.items.map((event): AuditEntry => {
    const terms = termsOf(names, event);
    const patient = patientOf(names, event);
    const clock = wallClockAt(event.at, clinic.timeZone);
    const minute = `${String(Math.floor(clock.minute / 60)).padStart(2, "0")}:${String(clock.minute % 60).padStart(2, "0")}`;
    return {
      ...event,
      sentence: auditSentence(event, terms),
      actorName: terms.actor,
      localTime: `${clock.date} ${minute}`,
      patient: patient ? { id: patient.id, name: patientLabel(patient) } : null,
    };
  });
  const patientName = filterPatient ? names.people.get(personKey(filterPatient))?.label : undefined;
  return {
    items,
    nextCursor: page.nextCursor,
    filterNames: {
      actor: filterActor ? personLabel(names, filterActor) : null,
      patient: filterPatient ? (patientName ?? "a patient") : null,
    },
    timeZone: clinic.timeZone,
  };
}

/** Largest page of {@link listAuditTrail}. */
export const maxAuditPage = 200;

/**
 * The clinic's audit trail, newest first, filtered, with people, patients, conversations and files
 * by name (REC-6): for admins only (SEC-3). Reading it is audited too. The log itself keeps ids.
 */
export function listAuditTrail(
  deps: ChatDeps,
  actor: Actor,
  input: AuditFilters & { readonly limit: number; readonly cursor?: string | null },
): Promise<AuditTrailPage> {
  return audited(deps, actor, "audit.read", async (stores) => {
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > maxAuditPage)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit", max: maxAuditPage });
    return readablePage(stores, actor, input, input.limit, input.cursor ?? null);
  });
}

/** Most records one CSV export holds; a longer trail is exported in narrower date ranges. */
export const maxAuditExport = 10_000;

/**
 * Every record the filters select, newest first, as {@link listAuditTrail} tells them, for a CSV
 * file (REC-6). Exporting is itself audited (`audit.export`). More than {@link maxAuditExport}
 * records are refused (INVALID_INPUT on `toDay`), so no export is silently cut short.
 */
export function exportAuditTrail(
  deps: ChatDeps,
  actor: Actor,
  filters: AuditFilters,
): Promise<AuditTrailPage> {
  return audited(deps, actor, "audit.export", async (stores) => {
    const page = await readablePage(stores, actor, filters, maxAuditExport, null);
    if (page.nextCursor !== null)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "toDay", max: maxAuditExport });
    return page;
  });
}
