/**
 * The words of message search (SRCH-1), as a clinic expects them to match: case and accents do
 * not matter ("Müller" finds "muller"), words are runs of letters and digits in any script, and a
 * word is found by its beginning ("appoin" finds "appointment").
 */

/** Shortest beginning of a word that finds it: shorter ones would match nearly every message. */
export const shortestPrefix = 3;
/** Longest word kept, in characters: a longer word is kept as its first ones (a pasted code, a link). */
export const longestWord = 32;
/** Most distinct words of one query that count; further ones are left out. */
export const mostQueryWords = 8;
/** Longest query, in characters (SEC-6 at the edge says the same). */
export const longestQuery = 100;

/** One word as it stands in a text: where it starts and ends (UTF-16 offsets) and its folded form. */
export interface TextWord {
  readonly start: number;
  readonly end: number;
  readonly folded: string;
}

const wordRun = /[\p{L}\p{N}\p{M}]+/gu;
const marks = /\p{M}/gu;
const notWordCharacter = /[^\p{L}\p{N}]+/u;
const asciiWord = /^[A-Za-z0-9]+$/;

/** How many characters (code points) `text` holds, counted without copying it. */
function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** `word` case-folded and without accents (NFKD, marks dropped), cut at {@link longestWord}. */
export function foldWord(word: string): string[] {
  // Most words of most messages: ASCII letters and digits have no accents, no compatibility
  // forms and one UTF-16 unit per character, so lower case is all their folding.
  if (asciiWord.test(word)) return [word.slice(0, longestWord).toLowerCase()];
  const folded = word.normalize("NFKD").replace(marks, "").toLowerCase().normalize("NFKC");
  // Compatibility forms can hold separators ("¼" is "1⁄4"): each part is a word of its own.
  return folded
    .split(notWordCharacter)
    .filter((part) => part.length > 0)
    .map((part) => Array.from(part).slice(0, longestWord).join(""));
}

/** The words of a text in order, each with where it stands, for finding and highlighting. */
export function wordsOf(text: string): TextWord[] {
  const words: TextWord[] = [];
  for (const run of text.matchAll(wordRun)) {
    const start = run.index;
    for (const folded of foldWord(run[0])) words.push({ start, end: start + run[0].length, folded });
  }
  return words;
}

/**
 * What finds a text: each word's beginnings from {@link shortestPrefix} characters to the whole
 * word, and a word of two characters as it is ("bp", "x2"). Single characters find nothing.
 * Distinct, in no particular order.
 */
export function searchTermsOf(text: string): string[] {
  const terms = new Set<string>();
  for (const { folded } of wordsOf(text)) {
    const count = characterCount(folded);
    if (count < shortestPrefix) {
      if (count === shortestPrefix - 1) terms.add(folded);
      continue;
    }
    if (count === folded.length) {
      for (let n = shortestPrefix; n <= count; n++) terms.add(folded.slice(0, n));
      continue;
    }
    const characters = Array.from(folded);
    for (let n = shortestPrefix; n <= count; n++) terms.add(characters.slice(0, n).join(""));
  }
  return [...terms];
}

/**
 * The words a query looks for: folded as texts are, distinct, in the order typed, at most
 * {@link mostQueryWords}; single characters left out. Each is one term of {@link searchTermsOf}.
 */
export function queryWordsOf(query: string): string[] {
  const words = new Set<string>();
  for (const { folded } of wordsOf(query)) {
    if (characterCount(folded) >= shortestPrefix - 1) words.add(folded);
  }
  return [...words].slice(0, mostQueryWords);
}

/** Whether a text's folded word is found by a query word: its beginning, or itself when short. */
export function wordMatches(textWord: string, queryWord: string): boolean {
  return characterCount(queryWord) < shortestPrefix ? textWord === queryWord : textWord.startsWith(queryWord);
}
