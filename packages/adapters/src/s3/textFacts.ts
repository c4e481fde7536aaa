/**
 * What text-like bytes are, as facts for the domain's file rules (FILE-5): UTF-8 text without
 * control characters or markup is `text/plain`; text holding markup is reported as the markup's
 * type; anything else is unrecognised (null).
 */

/** Markup a browser, mail client or Windows would render or run, with the type it is reported as. */
const markupSignatures: readonly (readonly [RegExp, string])[] = [
  [/<hta:application\b/i, "application/hta"],
  [/<svg[\s>/]/i, "image/svg+xml"],
  [/<\?xml[\s?]/i, "application/xml"],
  [/<!doctype\s+html\b|<!--/i, "text/html"],
  [
    /<\/?(?:a|b|p|br|h1|div|font|table|html|head|body|title|style|script|iframe|frame|frameset|object|embed|form|input|img|link|meta|base|math|template)[\s>/]/i,
    "text/html",
  ],
];

/**
 * Signatures looked for in the leading bytes of a file another signature already identified: only
 * long ones, so binary data does not match by chance. Browsers sniff this many bytes for HTML.
 */
const polyglotSignature = /<(?:!doctype\s+html|html|head|body|script|iframe|svg[\s>]|hta:application)/i;
export const sniffedLeadingBytes = 1445;

/** True when `text` holds a control character other than tab, line feed, vertical tab, form feed or carriage return. */
function holdsControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 && (code < 0x09 || code > 0x0d)) return true;
  }
  return false;
}

/** The type text-like `bytes` are reported as: `text/plain`, a markup type, or null when they are not text. */
export function textType(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  if (holdsControlCharacters(text)) return null;
  for (const [signature, type] of markupSignatures) {
    if (signature.test(text)) return type;
  }
  return "text/plain";
}

/** True when markup sits in the leading bytes that a browser sniffs, behind another type's signature. */
export function hidesMarkup(bytes: Uint8Array): boolean {
  const leading = bytes.subarray(0, sniffedLeadingBytes);
  // latin1 maps every byte to one character, so invalid UTF-8 cannot hide a signature.
  return polyglotSignature.test(Buffer.from(leading).toString("latin1"));
}
