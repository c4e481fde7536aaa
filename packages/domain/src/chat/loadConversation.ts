import type { Clinic } from "../clinic/Clinic";
import { loadActingPerson } from "../people/loadPerson";
import type { Actor, Patient } from "../people/people";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { Stores } from "../shared/UnitOfWork";
import type { Conversation } from "./Conversation";
import {
  type ComposerRules,
  canReadConversation,
  canSeeChat,
  composerRules,
  type Person,
} from "./eligibility";

/** A conversation the actor may read, with what the rules need to decide the rest. */
export interface ConversationAccess {
  readonly clinic: Clinic;
  readonly person: Person;
  readonly conversation: Conversation;
  /** The conversation's patient; null for Team Chat. */
  readonly patient: Patient | null;
  readonly composer: ComposerRules;
}

/** Loads the clinic of the unit of work; a missing clinic reads as NOT_FOUND. */
export async function loadClinic(stores: Stores, clinicId: string): Promise<Clinic> {
  const clinic = await stores.clinics.get(clinicId);
  if (!clinic) throw new DomainError("NOT_FOUND");
  return clinic;
}

/**
 * Loads a conversation for a participant who may read it (ELIG-4, ELIG-5, ELIG-6); unknown,
 * foreign and not-mine all answer NOT_FOUND alike.
 */
export async function loadConversationFor(
  stores: Stores,
  actor: Actor,
  conversationId: string,
): Promise<ConversationAccess> {
  const person = await loadActingPerson(stores, actor);
  const conversation = await stores.conversations.get(conversationId);
  const participant = conversation
    ? await stores.conversations.participant(conversationId, actor.person)
    : null;
  assertAllowed(canReadConversation(conversation, person, participant !== null));
  if (!conversation) throw new DomainError("NOT_FOUND");
  const clinic = await loadClinic(stores, actor.clinicId);
  assertAllowed(canSeeChat(clinic, person));
  const patient = conversation.patientId ? await stores.directory.patient(conversation.patientId) : null;
  return {
    clinic,
    person,
    conversation,
    patient,
    composer: composerRules(clinic, conversation, patient, person),
  };
}
