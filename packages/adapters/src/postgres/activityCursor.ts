/**
 * The cursor of a page of conversations in activity order (the conversation list and the inbox
 * views): the last row's activity time in milliseconds and its id, the keys of that order.
 */
export function activityCursor(lastActivityAt: Date, conversationId: string): string {
  return `${lastActivityAt.getTime()}|${conversationId}`;
}

/** The keys of an {@link activityCursor}; null for anything else. */
export function parseActivityCursor(cursor: string): { at: Date; id: string } | null {
  const bar = cursor.indexOf("|");
  const at = new Date(Number(cursor.slice(0, bar)));
  return bar > 0 && !Number.isNaN(at.getTime()) ? { at, id: cursor.slice(bar + 1) } : null;
}
