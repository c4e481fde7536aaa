import { conversationTitleOf } from "../chat/conversationName";
import { type Patient, type PersonRef, patientName, personKey, type StaffMember } from "../people/people";
import type { Stores } from "../shared/UnitOfWork";
import type { StoredAuditEvent } from "./AuditEvent";
import type { AuditConversation, AuditFile } from "./AuditLog";
import type { AuditTerms } from "./auditSentences";

/** A staff member as an admin reads them in the audit trail: name and role. */
export function staffLabel(staff: StaffMember): string {
  return `${staff.name} (${staff.role})`;
}

/** A patient as an admin reads them: name and date of birth, so namesakes are told apart (ADMIN-5). */
export function patientLabel(patient: Patient): string {
  const name = patientName(patient);
  return patient.dateOfBirth ? `${name} (b. ${patient.dateOfBirth})` : `${name} (patient)`;
}

/** The names a page of records needs, by kind, each read once for the whole page. */
export interface AuditNames {
  readonly people: ReadonlyMap<string, { readonly label: string; readonly patient?: Patient }>;
  readonly conversations: ReadonlyMap<string, AuditConversation>;
  readonly files: ReadonlyMap<string, AuditFile>;
}

/**
 * Names every person, conversation and file a page of records holds (REC-6): the conversations and
 * files first (they name more people: a conversation's participants), then every person at once.
 * Extra ids (a filter's person or patient) are named along.
 */
export async function nameRecords(
  stores: Stores,
  events: readonly StoredAuditEvent[],
  extra: readonly PersonRef[] = [],
): Promise<AuditNames> {
  const conversationIds = new Set<string>();
  const fileIds = new Set<string>();
  for (const e of events) {
    if (e.conversationId) conversationIds.add(e.conversationId);
    if (e.fileId) fileIds.add(e.fileId);
  }
  const records =
    conversationIds.size + fileIds.size > 0
      ? await stores.audit.recordsNamed({ conversationIds: [...conversationIds], fileIds: [...fileIds] })
      : { conversations: [], files: [] };
  const refs: PersonRef[] = [...extra];
  for (const e of events) {
    if (e.actor) refs.push(e.actor);
    if (e.subject) refs.push(e.subject);
  }
  for (const c of records.conversations) {
    refs.push(...c.participants);
    if (c.conversation.patientId) refs.push({ kind: "patient", id: c.conversation.patientId });
  }
  const staffIds = new Set(refs.filter((r) => r.kind === "staff").map((r) => r.id));
  const patientIds = new Set(refs.filter((r) => r.kind === "patient").map((r) => r.id));
  const people =
    staffIds.size + patientIds.size > 0
      ? await stores.audit.peopleNamed({ staffIds: [...staffIds], patientIds: [...patientIds] })
      : { staff: [], patients: [] };
  const named = new Map<string, { label: string; patient?: Patient }>();
  for (const s of people.staff) named.set(personKey({ kind: "staff", id: s.id }), { label: staffLabel(s) });
  for (const p of people.patients)
    named.set(personKey({ kind: "patient", id: p.id }), { label: patientLabel(p), patient: p });
  return {
    people: named,
    conversations: new Map(records.conversations.map((c) => [c.conversation.id, c])),
    files: new Map(records.files.map((f) => [f.id, f])),
  };
}

/** A person by name, or by kind when the clinic no longer knows them. */
export function personLabel(names: AuditNames, ref: PersonRef): string {
  return (
    names.people.get(personKey(ref))?.label ?? (ref.kind === "staff" ? "a former team member" : "a patient")
  );
}

/** How a record names its conversation: a patient's by the patient, a Team Chat by its title. */
export function conversationLabel(names: AuditNames, conversationId: string): string {
  const found = names.conversations.get(conversationId);
  if (!found) return "a conversation";
  const { conversation, participants } = found;
  if (conversation.patientId) {
    return `the conversation with ${personLabel(names, { kind: "patient", id: conversation.patientId })}`;
  }
  const members = participants.map((p) => names.people.get(personKey(p))?.label.replace(/ \(.*\)$/, ""));
  const title = conversationTitleOf(
    conversation.name,
    members.filter((m): m is string => m !== undefined),
  );
  return `the Team Chat “${title}”`;
}

/** The patient a record is about, when it is about one: the subject, the actor, or the conversation's patient. */
export function patientOf(names: AuditNames, event: StoredAuditEvent): Patient | null {
  const refs = [event.subject, event.actor].filter((r): r is PersonRef => r?.kind === "patient");
  const conversationPatient = event.conversationId
    ? names.conversations.get(event.conversationId)?.conversation.patientId
    : null;
  if (conversationPatient) refs.push({ kind: "patient", id: conversationPatient });
  for (const ref of refs) {
    const patient = names.people.get(personKey(ref))?.patient;
    if (patient) return patient;
  }
  return null;
}

/** The terms of one record's sentence. */
export function termsOf(names: AuditNames, event: StoredAuditEvent): AuditTerms {
  const actor = event.actor
    ? personLabel(names, event.actor)
    : event.credentialId
      ? "The practice system"
      : "The system";
  return {
    actor,
    conversation: event.conversationId ? conversationLabel(names, event.conversationId) : "a conversation",
    file: (event.fileId && names.files.get(event.fileId)?.name) || "a file",
    subject: event.subject ? personLabel(names, event.subject) : "someone",
    reason: event.reason ?? null,
  };
}
