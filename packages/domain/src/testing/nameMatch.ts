/** Lower-cased words of a name, accents removed, for matching. */
export function nameWords(name: string): string[] {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
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
      const distance = editDistance(term, word.slice(0, term.length));
      if (distance <= allowed) best = Math.max(best, 1 - distance / (term.length + 1));
    }
    if (best === 0) return 0;
    total += best;
  }
  return total / terms.length;
}
