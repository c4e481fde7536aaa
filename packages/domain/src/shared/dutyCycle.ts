/**
 * How much of the machine background work that goes step by step may take: after each step it
 * pauses in proportion to the step's own time, so it takes at most `share` of the time whatever
 * the load, and what people are waiting for (a message in a live chat) finds the machine free the
 * rest of the time. A slow step (a busy machine) pauses longer; a fast one hardly at all.
 */
export interface DutyCycle {
  /** The share of the time the work may take, above 0 and at most 1 (1: no pause beyond the least). */
  readonly share: number;
  /** The pause never goes below this, however short the step (ms). */
  readonly leastPauseMs: number;
  /** Nor above this, however long the step, so the work always goes on (ms). */
  readonly mostPauseMs: number;
}

/** The pause after a step that took `stepMs`: the step's time × (1 − share) / share, within bounds. */
export function pauseAfter(stepMs: number, cycle: DutyCycle): number {
  if (!(cycle.share > 0 && cycle.share <= 1)) throw new RangeError("a duty cycle's share is in (0, 1]");
  const proportional = (Math.max(0, stepMs) * (1 - cycle.share)) / cycle.share;
  return Math.round(Math.min(cycle.mostPauseMs, Math.max(cycle.leastPauseMs, proportional)));
}
