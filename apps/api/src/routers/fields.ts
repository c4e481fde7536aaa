import { messageTextLimits } from "@clinic-chat/domain";
import { z } from "zod";

// SEC-6: text reaches PostgreSQL, which refuses NUL (SQLSTATE 22021), and people, who cannot see
// control characters. Unpaired UTF-16 surrogates are not characters at all: JSON can carry them,
// UTF-8 cannot, so they would be silently replaced. Refused at the edge, with the field's name.
// With the `u` flag a lone surrogate is a code point of category Cs, and a pair is one character.
const oneLine = /^[^\p{Cc}\p{Cs}]*$/u;
// The same less tab, line feed and carriage return (set subtraction of the `v` flag).
const lines = /^[^\p{Cs}[\p{Cc}--[\t\n\r]]]*$/v;

/** Every string input of one line: no control character (NUL, tab, line breaks…), no broken character. */
export const singleLine = () => z.string().regex(oneLine, { error: "control or broken character" });

/** String input that may hold several lines: tabs and line breaks pass, other control characters do not. */
export const multiLine = () => z.string().regex(lines, { error: "control or broken character" });

/** An id of anything stored: ids are UUIDs, so anything else is refused before it reaches a query. */
export const id = z.uuid();

/** The sender's own id for a send, which makes retries idempotent (MSG-1). */
export const clientId = singleLine().min(1).max(100);

/** A message sequence number or read marker. */
export const seq = z.int().min(0).max(2_147_483_647);

/** An opaque page cursor handed out by a previous page. */
export const cursor = singleLine().min(1).max(200);

// The domain counts code points after trimming (MSG-1); the edge only stops absurd sizes and leaves
// room for surrounding white space, so a slightly long message gets the domain's own explanation.
const maxTextCodePoints = messageTextLimits.max + 1000;

/** Message text as typed: the domain trims it and enforces the 4,000-character rule. */
export const messageText = multiLine()
  .min(1)
  .max(maxTextCodePoints * 2)
  .refine((text) => [...text].length <= maxTextCodePoints, { error: "too long" });

/** For procedures that take no input: anything sent is refused, as for every other procedure. */
export const noInput = z.void();

/** A moment as an ISO 8601 date-time with `Z` or an offset, arriving as a string and handed on as a Date. */
export const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
