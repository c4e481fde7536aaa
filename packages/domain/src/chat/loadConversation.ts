import type { Clinic } from "../clinic/Clinic";
import { holdsEmergencyAccess } from "../emergency/EmergencyAccess";
import type { InboxState } from "../inbox/InboxState";
import { actingAs } from "../people/loadPerson";
import type { ParticipantFacts, Person } from "../people/Person";
import { type Actor, type Patient, samePerson } from "../people/people";
import { type ComposerRules, composerRules } from "../people/reachability";
import { assertAllowed, deny } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { Stores } from "../shared/UnitOfWork";
import type { Conversation } from "./Conversation";
import { canReadConversation } from "./eligibility";
import type { Message } from "./Message";
import type { ConversationAccessFacts, ConversationStanding, PostingFacts, RecipientState } from "./ports";

/** REC-7: what an admin reading through an emergency grant may send: nothing, until they join. */
const readOnly: ComposerRules = { text: deny("NOT_A_PARTICIPANT"), file: deny("NOT_A_PARTICIPANT") };

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
  /**
   * REC-7: when the actor reads through an emergency grant (not being a participant), until when;
   * null for a participant. Such access reads only: the composer says "not a participant".
   */
  readonly emergencyUntil: Date | null;
}

/**
 * A read (history, files, opening the conversation) at a moment: an admin's live emergency grant
 * lets them read too (REC-7). Use cases that write leave it out, so only participants write.
 */
export interface Reading {
  readonly at: Date;
}

/**
 * Loads a conversation for a participant who may read it (ELIG-4, ELIG-5, ELIG-6); unknown,
 * foreign and not-mine all answer NOT_FOUND alike. With `reading`, an admin's live emergency grant
 * counts as well (REC-7).
 */
export async function loadConversationFor(
  stores: Stores,
  actor: Actor,
  conversationId: string,
  reading?: Reading,
): Promise<ConversationAccess> {
  // One read for every fact; the decisions come in the order of the reads they replace.
  return decideAccess(actor, await stores.conversations.accessFacts(conversationId, actor.person), reading);
}

/** {@link ConversationAccess} for a post, read with the conversation reserved for posting. */
export interface PostingAccess extends ConversationAccess {
  /** The message the actor already sent here with the client id (MSG-1). */
  readonly sentBefore: Message | null;
  /** The reserved notification states asked for, ordered by `personKey`. */
  readonly recipientStates: readonly RecipientState[];
  /** The patient conversation's inbox state (INBOX-1); null for Team Chat. */
  readonly inbox: InboxState | null;
}

/** The decision of {@link loadConversationFor} on facts read for a post: throws what it would. */
export function decidePostingAccess(actor: Actor, facts: PostingFacts): PostingAccess {
  return {
    ...decideAccess(actor, facts),
    sentBefore: facts.sentBefore,
    recipientStates: facts.recipientStates,
    inbox: facts.inbox,
  };
}

/**
 * The decision of {@link loadConversationFor} on facts already read (for callers that read the
 * facts of several conversations together): throws the same DomainError it would.
 */
export function decideAccess(
  actor: Actor,
  facts: ConversationAccessFacts,
  reading?: Reading,
): ConversationAccess {
  const person = actingAs(facts.person, "person");
  const conversation = facts.conversation;
  const isParticipant =
    conversation !== null && facts.participants.some((p) => samePerson(p.ref, actor.person));
  const { inEmergency } = decideReading(person, conversation, isParticipant, facts.emergencyUntil, reading);
  if (!conversation) throw new DomainError("NOT_FOUND");
  const clinic = facts.clinic;
  // ENT-3: a paused patient chat leaves the conversation readable to its patient; the composer
  // rules below say that nothing can be sent.
  if (!clinic || clinic.id !== actor.clinicId) throw new DomainError("NOT_FOUND");
  const patient = conversation.patientId ? facts.patient : null;
  return {
    clinic,
    person,
    conversation,
    participants: facts.participants,
    patient,
    composer: inEmergency ? readOnly : composerRules(clinic, conversation, patient, person),
    emergencyUntil: inEmergency ? (facts.emergencyUntil ?? null) : null,
  };
}

/**
 * Whether `person` (loaded, may act) may read `conversation` (ELIG-4, ELIG-5, ELIG-6): as a
 * participant, or on a `reading` through a live emergency grant (REC-7). Throws the DomainError a
 * read would (NOT_FOUND alike for unknown, foreign and not-mine); answers whether the read is an
 * emergency's.
 */
export function decideReading(
  person: Person,
  conversation: Conversation | null,
  isParticipant: boolean,
  emergencyUntil: Date | null | undefined,
  reading?: Reading,
): { readonly inEmergency: boolean } {
  const inEmergency =
    !isParticipant && reading !== undefined && holdsEmergencyAccess(person, emergencyUntil, reading.at);
  assertAllowed(canReadConversation(conversation, person, isParticipant, inEmergency));
  return { inEmergency };
}

/**
 * {@link decideReading} for many conversations of one loaded reader at once: the standings of the
 * conversations the reader may read, by conversation id; the others are left out.
 */
export function readableOf(
  person: Person,
  standings: readonly ConversationStanding[],
  reading: Reading,
): Map<string, ConversationStanding> {
  const readable = new Map<string, ConversationStanding>();
  for (const standing of standings) {
    try {
      decideReading(person, standing.conversation, standing.participating, standing.emergencyUntil, reading);
      readable.set(standing.conversation.id, standing);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return readable;
}
