import type { Conversation } from "../chat/Conversation";
import { type Erasure, eraseMessages } from "../chat/eraseMessages";
import type { Message } from "../chat/Message";
import { loadClinic } from "../clinic/loadClinic";
import { storedObjectKeys } from "../files/previews";
import { inboxEvent } from "../inbox/afterPosting";
import type { TimelineEntry } from "../inbox/Timeline";
import { loadActing } from "../people/loadPerson";
import type { Actor, Patient, PatientErasure } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed, type Decision, deny } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { canDeleteUnderHold, checkHoldReason } from "./LegalHold";

/** What an admin gives to erase a patient (REC-2): who, their name typed again, and why. */
export interface PatientErasureInput {
  readonly patientId: string;
  /** The patient's name as the admin typed it to confirm. */
  readonly confirmName: string;
  readonly reason: string;
}

/** What erasing a patient removed (REC-2): counts only. */
export interface PatientErased {
  readonly conversations: number;
  readonly messages: number;
  readonly files: number;
}

/** Names compared as a person types them: spaces and letter case do not matter. */
const typed = (name: string) => name.trim().replace(/\s+/g, " ").toLocaleLowerCase();

/**
 * REC-2: the confirmation an erasure needs: the patient's name typed again (as shown, ignoring
 * spaces and letter case) and a reason, as a legal hold asks for one.
 */
export function checkErasure(
  patient: Patient,
  input: Pick<PatientErasureInput, "confirmName" | "reason">,
): Decision {
  if (typed(input.confirmName) !== typed(patient.name))
    return deny("INVALID_INPUT", { field: "confirmName" });
  return checkHoldReason(input.reason);
}

/** The tombstone that replaces an erased patient: nothing of who they were, no way to sign in. */
export function erasedPatient(patient: Patient, erasure: PatientErasure): Patient {
  return {
    id: patient.id,
    clinicId: patient.clinicId,
    name: "",
    email: null,
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "none",
    dateOfBirth: null,
    hostId: null,
    erasure,
  };
}

/** How many messages of a conversation are read at a time to find those still to erase. */
const historyPage = 500;

/** The messages of a conversation not deleted yet, oldest last. */
async function undeletedMessages(stores: Stores, conversation: Conversation): Promise<Message[]> {
  const found: Message[] = [];
  let beforeSeq: number | null = null;
  for (;;) {
    const page: Message[] = await stores.messages.history(conversation.id, { limit: historyPage, beforeSeq });
    found.push(...page.filter((m) => m.body.kind !== "deleted"));
    const oldest = page.at(-1);
    if (page.length < historyPage || !oldest) return found;
    beforeSeq = oldest.seq;
  }
}

/**
 * REC-2: an admin erases a whole patient. Refused under a legal hold (REC-4). Every message and
 * file of the patient's conversations goes through the one deletion path (DEL-1 … DEL-4: data keys
 * destroyed, stored objects removed, open clients told); what was scheduled to them is cancelled
 * (its key destroyed); their conversations are closed and take nothing new; their
 * directory entry becomes a tombstone and everything they signed in with is removed, which ends
 * their sessions. What stays: the content-free deletion records (DEL-3) and one audit record with
 * ids and counts. One unit of work: a patient is erased whole or not at all.
 */
export function erasePatient(
  deps: ChatDeps,
  actor: Actor,
  input: PatientErasureInput,
): Promise<PatientErased> {
  return audited(deps, actor, "patient.erase", async (stores, targets) => {
    targets.subject = { kind: "patient", id: input.patientId };
    const admin = await loadActing(stores, actor, { as: "admin" });
    const patient = await stores.directory.patient(input.patientId);
    if (!patient || patient.erasure) throw new DomainError("NOT_FOUND");
    assertAllowed(checkErasure(patient, input));
    assertAllowed(canDeleteUnderHold(await stores.records.hold(patient.id)));
    const [clinic, conversations] = await Promise.all([
      loadClinic(stores, actor.clinicId),
      stores.records.patientConversations(patient.id),
    ]);
    const erasures: Erasure[] = [];
    for (const conversation of conversations)
      erasures.push({ conversation, messages: await undeletedMessages(stores, conversation) });
    const erased = await eraseMessages(deps, stores, clinic, erasures, actor.person);
    await removeFilesBeingChecked(deps, stores, conversations);
    const now = deps.clock.now();
    for (const conversation of conversations) {
      // Pending and refused alike: a cancelled one's text goes with its key.
      for (const scheduled of await stores.scheduledMessages.inConversation(conversation.id))
        await stores.scheduledMessages.save({ ...scheduled, status: "cancelled" });
    }
    await closeAll(deps, stores, actor, conversations, now);
    await stores.directory.erasePatient(
      erasedPatient(patient, { at: now, by: admin.id, reason: input.reason.trim() }),
    );
    const outcome = { conversations: conversations.length, messages: erased.messages, files: erased.files };
    targets.outcomeNote = `conversations=${outcome.conversations} messages=${outcome.messages} files=${outcome.files}`;
    return outcome;
  });
}

/**
 * Files shared into the conversations and still waiting for their malware scan (FILE-6) have no
 * message yet for the deletion path: they go here, record and stored object, so the scan finds
 * nothing to share. Unconfirmed uploads go with the upload cleanup (FILE-2).
 */
async function removeFilesBeingChecked(
  deps: Pick<ChatDeps, "blobs">,
  stores: Stores,
  conversations: readonly Conversation[],
): Promise<void> {
  const checking: string[] = [];
  for (const conversation of conversations)
    for (const participant of await stores.conversations.participants(conversation.id))
      checking.push(...(await stores.files.checkingOf(conversation.id, participant.person)).map((f) => f.id));
  if (checking.length === 0) return;
  const removed = await stores.files.removeAll(checking);
  const keys = new Set(
    removed.filter((f) => f.lastReference).flatMap((f) => storedObjectKeys(f.storageKey, f.contentType)),
  );
  for (const key of keys) await deps.blobs.remove(key);
}

/** Closes the patient's open conversations (INBOX-1), each with its timeline entry, live. */
async function closeAll(
  deps: ChatDeps,
  stores: Stores,
  actor: Actor,
  conversations: readonly Conversation[],
  at: Date,
): Promise<void> {
  const states = (await Promise.all(conversations.map((c) => stores.inbox.get(c.id)))).flatMap((state) =>
    state && state.status === "open" ? [state] : [],
  );
  if (states.length === 0) return;
  await stores.inbox.saveAll(states.map((state) => ({ ...state, status: "closed" as const })));
  const lastSeq = new Map(conversations.map((c) => [c.id, c.lastSeq]));
  await stores.inbox.addTimeline(
    states.map(
      (state): TimelineEntry => ({
        id: deps.ids.newId(),
        conversationId: state.conversationId,
        kind: "closed",
        actor: actor.person,
        subjectStaffId: null,
        afterSeq: lastSeq.get(state.conversationId) ?? 0,
        at,
        nextOpeningAt: null,
      }),
    ),
  );
  await stores.events.append(
    states.map((state) =>
      inboxEvent(actor.clinicId, state.conversationId, "inbox.changed", actor.person, at),
    ),
  );
}
