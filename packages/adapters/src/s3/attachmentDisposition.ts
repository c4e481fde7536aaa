/**
 * A `Content-Disposition: attachment` value that carries `fileName` safely (RFC 6266 with the
 * RFC 8187/5987 `filename*` parameter): an ASCII fallback for old clients plus the exact UTF-8
 * name. `attachment` rather than `inline` so a browser never renders an uploaded file in our origin.
 */
export function attachmentDisposition(fileName: string): string {
  // Lone surrogates cannot be UTF-8 encoded (encodeURIComponent would throw).
  const name = fileName.toWellFormed();
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** What a client that ignores `filename*` shows instead of the real name. */
const defaultFallback = "download";

function asciiFallback(name: string): string {
  const fallback = name
    // Keep the letters of accented names ("Müller" → "Muller") by dropping combining marks.
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    // Quotes and backslashes would end or escape the quoted string; control characters could split
    // the header; "%" is decoded by some browsers; anything else outside printable ASCII cannot be
    // represented in a quoted-string portably.
    .replace(/[^\x20-\x7e]|["\\%]/gu, "_")
    .trim();
  return fallback.replace(/_/g, "").length === 0 ? defaultFallback : fallback;
}

/** RFC 8187 `value-chars`: percent-encoded UTF-8 with only `attr-char` left as is. */
function encodeRfc8187(value: string): string {
  // encodeURIComponent also leaves ' ( ) * unescaped, which attr-char does not allow.
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
