import type { Actor, Patient, PersonRef } from "../people/people";
import { type PersonView, personViews } from "../people/personViews";
import type { ComposerRules } from "../people/reachability";
import { audited } from "../shared/audited";
import type { ChatDeps } from "../shared/deps";
import type { Conversation } from "./Conversation";
import { loadConversationFor } from "./loadConversation";

/** What the conversation view shows around its history: who is in it and what the composer offers. */
export interface ConversationDetails {
  readonly conversation: Conversation;
  readonly participants: PersonView[];
  readonly readUpToSeq: number;
  /**
   * How far each participant has read (MSG-3), so "Seen by" shows from the first paint of the
   * conversation rather than only after someone reads again while it is open.
   */
  readonly readMarkers: readonly { readonly person: PersonRef; readonly readUpToSeq: number }[];
  /** Text and file decisions; a "no" explains the disabled composer (ENT-3, ELIG-1). */
  readonly composer: ComposerRules;
  readonly patientPortalAccount: Patient["portalAccount"] | null;
  /** REC-4: the patient is under a legal hold, so nothing here can be deleted; the ⋯ Delete says so. */
  readonly legalHold: boolean;
  /** REC-7: until when the actor reads it through emergency access (read-only); null for a participant. */
  readonly emergencyUntil: Date | null;
}

/**
 * Opens a conversation the actor takes part in (ELIG-4), or reads through a live emergency grant
 * (REC-7); audited as reading it (SEC-3).
 */
export function openConversation(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string },
): Promise<ConversationDetails> {
  return audited(deps, actor, "conversation.read_history", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId, { at: deps.clock.now() });
    const participants = await stores.conversations.participants(access.conversation.id);
    const me = participants.find(
      (p) => p.person.kind === actor.person.kind && p.person.id === actor.person.id,
    );
    return {
      conversation: access.conversation,
      participants: await personViews(
        stores,
        participants.map((p) => p.person),
      ),
      readUpToSeq: me?.readUpToSeq ?? 0,
      readMarkers: participants.map((p) => ({ person: p.person, readUpToSeq: p.readUpToSeq })),
      composer: access.composer,
      patientPortalAccount: access.patient?.portalAccount ?? null,
      legalHold: access.patient ? (await stores.records.hold(access.patient.id)) !== null : false,
      emergencyUntil: access.emergencyUntil,
    };
  });
}
