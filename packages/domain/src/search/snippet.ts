import { wordMatches, wordsOf } from "./words";

/** Where a found word stands in a snippet, in UTF-16 offsets (what a browser slices by). */
export interface Highlight {
  readonly start: number;
  readonly end: number;
}

/** The part of a message shown with a search hit, and its found words (SRCH-1). */
export interface Snippet {
  readonly text: string;
  readonly highlights: readonly Highlight[];
  /** How many of the query's words the message holds. */
  readonly matched: number;
}

/** Characters of context kept before the first found word; the whole snippet is at most {@link snippetLength}. */
const before = 60;
export const snippetLength = 200;
const ellipsis = "…";

/**
 * The snippet of `text` for `queryWords`: the words found, with some context before the first of
 * them, cut at spaces where it can, and an ellipsis where text is left out. Computed from the
 * opened text, never stored.
 */
export function snippetOf(text: string, queryWords: readonly string[]): Snippet {
  const found = wordsOf(text).filter((word) => queryWords.some((q) => wordMatches(word.folded, q)));
  const matched = queryWords.filter((q) => found.some((word) => wordMatches(word.folded, q))).length;
  let start = 0;
  const first = found[0];
  if (first && text.length > snippetLength && first.start > before) {
    start = first.start - before;
    const space = text.indexOf(" ", start);
    if (space !== -1 && space < first.start) start = space + 1;
  }
  let end = Math.min(text.length, start + snippetLength);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start + snippetLength / 2) end = space;
  }
  const lead = start > 0 ? ellipsis : "";
  const highlights = found
    .filter((word) => word.start >= start && word.end <= end)
    // Two folded parts of one word ("¼") stand at the same place: one highlight.
    .filter((word, i, all) => i === 0 || all[i - 1]!.start !== word.start)
    .map((word) => ({ start: word.start - start + lead.length, end: word.end - start + lead.length }));
  return {
    text: lead + text.slice(start, end) + (end < text.length ? ellipsis : ""),
    highlights,
    matched,
  };
}
