import { actingAs } from "../people/loadPerson";
import type { Person } from "../people/Person";
import { type Actor, type PersonRef, personKey } from "../people/people";
import { DomainError } from "../shared/DomainError";
import type { Stores } from "../shared/UnitOfWork";
import { decideReading, type Reading } from "./loadConversation";
import type { ConversationStanding } from "./ports";

/** One read to decide: who reads which conversation. */
export interface AskedRead {
  readonly actor: Actor;
  readonly conversationId: string;
}

/** A read's decision: the conversation it may read, or the refusal a read would have thrown. */
export type ReadDecision =
  | { readonly ok: true; readonly standing: ConversationStanding }
  | { readonly ok: false; readonly error: DomainError };

/**
 * Decides reads of conversations (ELIG-4, ELIG-5, ELIG-6, REC-7) as {@link loadConversationFor}
 * does with `reading`, with the same refusals in the same order (the reader unknown, then unable
 * to act, then the conversation not theirs to read), from what a read needs alone: each reader
 * and their standing in the conversations they read. The other participants' facts play no part
 * in whether a person may read. Every actor is of the stores' clinic.
 */
export async function decideReads(
  stores: Stores,
  reads: readonly AskedRead[],
  reading: Reading,
): Promise<ReadDecision[]> {
  const asked = new Map<string, { ref: PersonRef; conversationIds: Set<string> }>();
  for (const { actor, conversationId } of reads) {
    const key = personKey(actor.person);
    const entry = asked.get(key) ?? { ref: actor.person, conversationIds: new Set<string>() };
    entry.conversationIds.add(conversationId);
    asked.set(key, entry);
  }
  const readers = [...asked.values()];
  const staffIds = readers.filter((r) => r.ref.kind === "staff").map((r) => r.ref.id);
  const patientIds = readers.filter((r) => r.ref.kind === "patient").map((r) => r.ref.id);
  const [staff, patients, standings] = await Promise.all([
    staffIds.length > 0 ? stores.directory.staffMembers(staffIds) : [],
    patientIds.length > 0 ? stores.directory.patients(patientIds) : [],
    Promise.all(readers.map((r) => stores.conversations.standingsIn([...r.conversationIds], r.ref))),
  ]);
  const people = new Map<string, Person>();
  for (const member of staff)
    people.set(personKey({ kind: "staff", id: member.id }), { kind: "staff", staff: member });
  for (const patient of patients)
    people.set(personKey({ kind: "patient", id: patient.id }), { kind: "patient", patient });
  const standingOf = new Map<string, ConversationStanding>();
  for (const [k, reader] of readers.entries()) {
    for (const standing of standings[k]!)
      standingOf.set(`${personKey(reader.ref)} ${standing.conversation.id}`, standing);
  }
  return reads.map(({ actor, conversationId }) => {
    const key = personKey(actor.person);
    try {
      const person = actingAs(people.get(key) ?? null, "person");
      const standing = standingOf.get(`${key} ${conversationId}`) ?? null;
      decideReading(
        person,
        standing?.conversation ?? null,
        standing?.participating ?? false,
        standing?.emergencyUntil,
        reading,
      );
      // decideReading refuses a missing conversation, so a standing is here.
      return { ok: true, standing: standing! };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { ok: false, error };
    }
  });
}
