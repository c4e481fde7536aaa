import type { ReactNode } from "react";

/**
 * Web addresses a person typed: starting with http://, https:// or www., up to the next space.
 * Only addresses written out like this become links, so a word that merely looks like a domain
 * ("results.pdf") stays text.
 */
const address = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
/** Punctuation that ends a sentence rather than the address ("see https://x.org/a."). */
const trailing = /[.,;:!?'")\]}]+$/u;

function parses(href: string): boolean {
  try {
    new URL(href);
    return true;
  } catch {
    return false;
  }
}

/** The text's pieces: plain strings and the addresses in it, with where each link goes. */
export function linkPieces(text: string): ({ text: string } | { text: string; href: string })[] {
  const pieces: ({ text: string } | { text: string; href: string })[] = [];
  let at = 0;
  for (const match of text.matchAll(address)) {
    let found = match[0];
    const cut = found.match(trailing)?.[0] ?? "";
    // A closing bracket belongs to the address when it opened one too (Wikipedia-style paths).
    const keep = cut.startsWith(")") && found.includes("(") ? 1 : 0;
    found = found.slice(0, found.length - cut.length + keep);
    const start = match.index;
    if (start > at) pieces.push({ text: text.slice(at, start) });
    const href = /^www\./iu.test(found) ? `https://${found}` : found;
    pieces.push(parses(href) ? { text: found, href } : { text: found });
    at = start + found.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}

/**
 * A message's text with its web addresses as links. They open in a new tab with
 * `rel="noopener noreferrer"`, so the page reached learns neither the conversation's address nor
 * gets a handle on this tab; and nothing is ever fetched to preview them, so no third party hears
 * of a link before the reader chooses to open it.
 */
export function MessageText({ text }: { text: string }) {
  const children: ReactNode[] = linkPieces(text).map((piece, index) =>
    "href" in piece ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one text never reorder.
      <a key={index} href={piece.href} target="_blank" rel="noopener noreferrer">
        {piece.text}
      </a>
    ) : (
      piece.text
    ),
  );
  return <p className="message__text">{children}</p>;
}
