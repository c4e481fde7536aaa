/** When the idle warning appears: a minute before logoff, or halfway for very short timeouts. */
export function warningLeadMs(timeoutMs: number): number {
  return Math.min(60_000, timeoutMs / 2);
}

/** Where an idle session stands at `now`. */
export type IdleState = { kind: "active" } | { kind: "warning"; secondsLeft: number } | { kind: "expired" };

/** The state after `idleMs` without activity under a timeout of `timeoutMs` (SEC-2). */
export function idleStateAt(idleMs: number, timeoutMs: number): IdleState {
  const left = timeoutMs - idleMs;
  if (left <= 0) return { kind: "expired" };
  if (left <= warningLeadMs(timeoutMs)) return { kind: "warning", secondsLeft: Math.ceil(left / 1000) };
  return { kind: "active" };
}
