import type { Clinic } from "../clinic/Clinic";
import { type Actor, type Patient, samePerson } from "../people/people";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { Stores } from "../shared/UnitOfWork";
import type { Conversation } from "./Conversation";
import {
  type ComposerRules,
  canAct,
  canReadConversation,
  canSeeChat,
  composerRules,
  type Person,
} from "./eligibility";
import type { ParticipantFacts } from "./ports";

/** A conversation the actor may read, with what the rules need to decide the rest. */
export interface ConversationAccess {
  readonly clinic: Clinic;
  readonly person: Person;
  readonly conversation: Conversation;
  /** Everyone in the conversation, the actor among them, with their directory facts. */
  readonly participants: readonly ParticipantFacts[];
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
  // One read for every fact; the decisions below come in the order of the reads they replace.
  const facts = await stores.conversations.accessFacts(conversationId, actor.person);
  const person = facts.person;
  if (!person) throw new DomainError("NOT_FOUND");
  assertAllowed(canAct(person));
  const conversation = facts.conversation;
  const isParticipant =
    conversation !== null && facts.participants.some((p) => samePerson(p.ref, actor.person));
  assertAllowed(canReadConversation(conversation, person, isParticipant));
  if (!conversation) throw new DomainError("NOT_FOUND");
  const clinic = facts.clinic;
  if (!clinic || clinic.id !== actor.clinicId) throw new DomainError("NOT_FOUND");
  assertAllowed(canSeeChat(clinic, person));
  const patient = conversation.patientId ? facts.patient : null;
  return {
    clinic,
    person,
    conversation,
    participants: facts.participants,
    patient,
    composer: composerRules(clinic, conversation, patient, person),
  };
}
