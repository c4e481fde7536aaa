import type { Person } from "../people/Person";
import { canAct } from "../people/Person";
import { allow, type Decision, deny } from "../shared/Decision";
import type { Conversation } from "./Conversation";

/** Longest name a group conversation may have, in characters (after trimming). */
export const maxConversationNameLength = 60;

/**
 * A name as given, made what the conversation keeps: trimmed, inner runs of white space as one
 * space. An empty name takes the name away (the title falls back to the participants' names).
 * Refused: a name longer than {@link maxConversationNameLength}, or holding control characters.
 */
export function conversationNameOf(
  raw: string,
): { readonly ok: true; readonly name: string | null } | { readonly ok: false; readonly decision: Decision } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(raw))
    return { ok: false, decision: deny("INVALID_INPUT", { field: "name" }) };
  const name = raw.trim().replace(/\s+/g, " ");
  if ([...name].length > maxConversationNameLength)
    return { ok: false, decision: deny("INVALID_INPUT", { field: "name", max: maxConversationNameLength }) };
  return { ok: true, name: name === "" ? null : name };
}

/**
 * May this person name or rename the conversation? Team Chat only (ELIG-3): a patient
 * conversation is known by its patient to staff and by the clinic to the patient, and a label
 * staff chose must not reach the patient. Any staff participant who may act renames it; being a
 * participant is checked where the conversation is loaded (ELIG-4: others get NOT_FOUND).
 */
export function canRenameConversation(conversation: Conversation, person: Person): Decision {
  if (person.kind !== "staff") return deny("FORBIDDEN");
  const acting = canAct(person);
  if (!acting.allowed) return acting;
  if (conversation.kind !== "team") return deny("FORBIDDEN");
  return allow;
}

/**
 * The title of a conversation for a reader: its name when it has one, else the names of the
 * other participants (the people the reader talks to), else "Only you".
 */
export function conversationTitleOf(name: string | null, otherNames: readonly string[]): string {
  if (name) return name;
  return otherNames.length > 0 ? otherNames.join(", ") : "Only you";
}
