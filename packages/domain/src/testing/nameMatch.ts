/** Lower-cased words of a name, accents removed, for matching. */
export function nameWords(name: string): string[] {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbouring letters as one each. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const above = d[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** The smallest edit distance between `term` and any start of `word` about as long as it. */
function prefixDistance(term: string, word: string, allowed: number): number {
  let best = Number.POSITIVE_INFINITY;
  const shortest = Math.max(1, term.length - allowed);
  const longest = Math.min(word.length, term.length + allowed);
  for (let length = shortest; length <= longest; length++) {
    best = Math.min(best, editDistance(term, word.slice(0, length)));
  }
  return best;
}

/**
 * How well `query` matches `name` (0 = not at all, 1 = every query word is a prefix of a name
 * word). Each query word may also match a name word's prefix with one typo per four letters:
 * the in-memory stand-in for the trigram search a database does.
 */
export function nameMatchScore(name: string, query: string): number {
  const words = nameWords(name);
  const terms = nameWords(query);
  if (terms.length === 0) return 0;
  let total = 0;
  for (const term of terms) {
    let best = 0;
    for (const word of words) {
      if (word.startsWith(term)) {
        best = 1;
        break;
      }
      const allowed = Math.floor(term.length / 4);
      if (allowed === 0) continue;
      const distance = prefixDistance(term, word, allowed);
      if (distance <= allowed) best = Math.max(best, 1 - distance / (term.length + 1));
    }
    if (best === 0) return 0;
    total += best;
  }
  return total / terms.length;
}
