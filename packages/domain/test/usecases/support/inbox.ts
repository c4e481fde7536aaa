import type { InboxView } from "../../../src/inbox/InboxState";
import type { Actor } from "../../../src/people/people";
import { patientConversation, type World } from "./world";

/** A patient conversation of clinic A with the practitioner and front desk as staff participants. */
export async function sharedPatientConversation(world: World): Promise<string> {
  const { a, chat } = world;
  const conversationId = await patientConversation(world, a.practitioner, a.patient);
  await chat.addParticipant(a.practitioner, { conversationId, staffId: a.frontDesk.person.id });
  return conversationId;
}

/** The staff member's count of each inbox view (INBOX-1). */
export async function inboxCounts(world: World, who: Actor) {
  return (await world.chat.listInbox(who, { view: "open", limit: 50 })).counts;
}

/** The conversations of one of the staff member's inbox views. */
export async function inboxIds(world: World, who: Actor, view: InboxView): Promise<string[]> {
  return (await world.chat.listInbox(who, { view, limit: 50 })).items.map((r) => r.conversationId);
}
