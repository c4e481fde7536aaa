import type { PersonRef } from "../rpc/types";
import { typingSentence, useTypists } from "./typing";

/**
 * "Dora Doctor is typing…" above the composer, while a notice is fresh (PRODUCT §8). A polite
 * status region, always present so screen readers hear it appear; it holds its line's height so
 * the history does not jump when it comes and goes.
 */
export function TypingIndicator({
  conversationId,
  nameOf,
}: {
  conversationId: string;
  nameOf: (person: PersonRef) => string | null;
}) {
  const names = useTypists(conversationId)
    .map(nameOf)
    .filter((name): name is string => name !== null);
  return (
    <p className="typing-indicator" role="status" data-testid="typing-indicator">
      {typingSentence(names)}
    </p>
  );
}
