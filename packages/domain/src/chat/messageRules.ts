import { type Decision, deny } from "../shared/Decision";
import { messageTextLimits } from "./Message";

/** The text as it will be stored, or the reason it cannot be sent (MSG-1: 1 to 4,000 characters after trimming). */
export function checkMessageText(
  text: string,
): { ok: true; text: string } | { ok: false; decision: Decision } {
  const trimmed = text.trim();
  // Count code points, not UTF-16 units, so an emoji counts as one character.
  const length = [...trimmed].length;
  if (length < messageTextLimits.min) return { ok: false, decision: deny("MESSAGE_EMPTY") };
  if (length > messageTextLimits.max)
    return { ok: false, decision: deny("MESSAGE_TOO_LONG", { max: messageTextLimits.max }) };
  return { ok: true, text: trimmed };
}
