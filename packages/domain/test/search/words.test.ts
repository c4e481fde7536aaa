import { describe, expect, it } from "vitest";
import { snippetOf } from "../../src/search/snippet";
import { longestWord, queryWordsOf, searchTermsOf, wordMatches, wordsOf } from "../../src/search/words";

describe("SRCH-1 words as a clinic expects them to match", () => {
  it("SRCH-1: case and accents fold away, in composed and decomposed form alike", () => {
    expect(wordsOf("Müller CAFÉ cafe\u0301 Ærø").map((w) => w.folded)).toEqual([
      "muller",
      "cafe",
      "cafe",
      "ærø",
    ]);
    expect(queryWordsOf("MULLER")).toEqual(["muller"]);
  });

  it("SRCH-1: words are runs of letters and digits in any script; punctuation splits them", () => {
    expect(wordsOf("Dr. O'Neil: 10mg/day — Привет, 東京!").map((w) => w.folded)).toEqual([
      "dr",
      "o",
      "neil",
      "10mg",
      "day",
      "привет",
      "東京",
    ]);
  });

  it("SRCH-1: a word's positions are those of the text as written, for highlighting", () => {
    const text = "Call Dr. Ruíz";
    const [, , ruiz] = wordsOf(text);
    expect(text.slice(ruiz!.start, ruiz!.end)).toBe("Ruíz");
  });

  it("SRCH-1: a text is found by each word's beginnings from three characters, and by two-letter words", () => {
    expect(searchTermsOf("Appointment ok a BP").sort()).toEqual(
      [
        "app",
        "appo",
        "appoi",
        "appoin",
        "appoint",
        "appointm",
        "appointme",
        "appointmen",
        "appointment",
        "ok",
        "bp",
      ].sort(),
    );
  });

  it("SRCH-1: a long word is kept as its first characters, in texts and queries alike", () => {
    const long = "x".repeat(longestWord + 20);
    const terms = searchTermsOf(long);
    expect(Math.max(...terms.map((t) => t.length))).toBe(longestWord);
    expect(queryWordsOf(long)).toEqual(["x".repeat(longestWord)]);
    expect(terms).toContain(queryWordsOf(long)[0]);
  });

  it("SRCH-1: lengths and beginnings count characters, not UTF-16 units, outside the basic plane too", () => {
    // CJK Extension B: letters of two UTF-16 units each.
    const [a, b, c, d] = ["\u{20000}", "\u{20001}", "\u{20002}", "\u{20003}"];
    expect(searchTermsOf(`${a}${b}${c}${d} ${a}${b} ${c}`).sort()).toEqual(
      [`${a}${b}${c}`, `${a}${b}${c}${d}`, `${a}${b}`].sort(),
    );
    expect(queryWordsOf(`${a}${b} ${c}`)).toEqual([`${a}${b}`]);
    expect(wordMatches(`${a}${b}${c}`, `${a}${b}`)).toBe(false);
    expect(wordMatches(`${a}${b}`, `${a}${b}`)).toBe(true);
    expect(wordMatches(`${a}${b}${c}${d}`, `${a}${b}${c}`)).toBe(true);
    const long = a!.repeat(longestWord + 5);
    expect(queryWordsOf(long)).toEqual([a!.repeat(longestWord)]);
    expect(Math.max(...searchTermsOf(long).map((t) => Array.from(t).length))).toBe(longestWord);
  });

  it("SRCH-1: letters and digits fold alike whether a word is plain ASCII or not", () => {
    expect(wordsOf("ABC123 Abc\u0301 ABCé").map((w) => w.folded)).toEqual(["abc123", "abc", "abce"]);
    expect(searchTermsOf("MRI").sort()).toEqual(["mri"]);
    expect(searchTermsOf("Xy")).toEqual(["xy"]);
  });

  it("SRCH-1: a query's words are distinct, single characters left out; punctuation alone has none", () => {
    expect(queryWordsOf("appoin, Appoin a lab")).toEqual(["appoin", "lab"]);
    expect(queryWordsOf("?!… -- //")).toEqual([]);
    expect(queryWordsOf("a b c")).toEqual([]);
  });

  it("SRCH-1: a query word finds words it begins; a two-letter one only itself", () => {
    expect(wordMatches("appointment", "appoin")).toBe(true);
    expect(wordMatches("disappoint", "appoin")).toBe(false);
    expect(wordMatches("bp", "bp")).toBe(true);
    expect(wordMatches("bpm", "bp")).toBe(false);
  });
});

describe("SRCH-1 snippets and highlights", () => {
  it("SRCH-1: highlights mark the found words in the text as written", () => {
    const snippet = snippetOf("Your APPOINTMENT with Dr Müller is moved.", ["appoin", "muller"]);
    expect(snippet.matched).toBe(2);
    expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.end))).toEqual([
      "APPOINTMENT",
      "Müller",
    ]);
  });

  it("SRCH-1: a long text is cut around the first found word, with ellipses where text is left out", () => {
    const text = `${"before ".repeat(40)}the lab results are in ${"after ".repeat(60)}`;
    const snippet = snippetOf(text, ["results"]);
    expect(snippet.text.startsWith("…")).toBe(true);
    expect(snippet.text.endsWith("…")).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(202);
    expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.end))).toEqual(["results"]);
  });

  it("SRCH-1: a text without the words has no highlight and matches none", () => {
    expect(snippetOf("nothing here", ["lab"])).toEqual({ text: "nothing here", highlights: [], matched: 0 });
  });
});
