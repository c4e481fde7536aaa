// The bench's figures: p50 and p99 of both sides of a case, and their medians over the rounds.

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** p50 and p99 of the adapter and of the direct SQL, over the same runs. */
export interface Figures {
  readonly a50: number;
  readonly a99: number;
  readonly r50: number;
  readonly r99: number;
  readonly ratio50: number;
  readonly ratio99: number;
}

export function figures(adapter: number[], direct: number[]): Figures {
  const a = [...adapter].sort((x, y) => x - y);
  const r = [...direct].sort((x, y) => x - y);
  const [a50, a99, r50, r99] = [percentile(a, 50), percentile(a, 99), percentile(r, 50), percentile(r, 99)];
  return { a50, a99, r50, r99, ratio50: a50 / r50, ratio99: a99 / r99 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Each figure's median over the rounds (ratios too: each round's adapter and direct ran side by side). */
export function medianOf(rounds: readonly Figures[]): Figures {
  const of = (key: keyof Figures) => median(rounds.map((f) => f[key]));
  return {
    a50: of("a50"),
    a99: of("a99"),
    r50: of("r50"),
    r99: of("r99"),
    ratio50: of("ratio50"),
    ratio99: of("ratio99"),
  };
}
