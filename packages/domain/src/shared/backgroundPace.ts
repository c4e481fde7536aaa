/**
 * How work that nobody is waiting for (the daily retention run, a broadcast's turns) shares the
 * machine with live chat: it goes in small parts, and after each part it rests for a time
 * proportional to the part's own, so it takes at most `share` of the time whatever the machine's
 * speed or load (a slower part earns a longer rest). The rest is capped, so the work still ends
 * in a time bounded by its parts.
 */
export interface BackgroundPace {
  /** The share of the time the work may take, in (0, 1]: 0.2 rests four times as long as it worked. */
  readonly share: number;
  /** The longest rest after one part, in milliseconds. */
  readonly longestRestMs: number;
  /** The shortest rest after one part, however short it was, in milliseconds (0 when absent). */
  readonly shortestRestMs?: number;
}

/** The pace of the product's background work: a fifth of the time, at most 2 s of rest at once. */
export const backgroundPace: BackgroundPace = { share: 0.2, longestRestMs: 2_000 };

/**
 * The rest owed after a part that took `workedMs`, in milliseconds: the part's time ×
 * (1 − share) / share, within the pace's bounds (the shortest rest for a share of 1).
 */
export function restAfter(pace: BackgroundPace, workedMs: number): number {
  if (!(pace.share > 0 && pace.share <= 1)) throw new RangeError("a background share is in (0, 1]");
  const owed = (Math.max(0, workedMs) * (1 - pace.share)) / pace.share;
  return Math.round(Math.min(pace.longestRestMs, Math.max(pace.shortestRestMs ?? 0, owed)));
}

/** What {@link inTurns} needs from the outside world: elapsed time and a way to rest. */
export interface Resting {
  /** Milliseconds on a monotonic clock. */
  readonly elapsedMs: () => number;
  /** Resolves after `ms` milliseconds. */
  readonly rest: (ms: number) => Promise<void>;
}

/**
 * Runs `part` again and again until it answers false, resting after each part that has more to
 * do as `pace` says. A part that fails ends the turns with its error.
 */
export async function inTurns(
  pace: BackgroundPace,
  resting: Resting,
  part: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    const started = resting.elapsedMs();
    const more = await part();
    if (!more) return;
    const rest = restAfter(pace, resting.elapsedMs() - started);
    if (rest > 0) await resting.rest(rest);
  }
}
