import type { ResetAudience } from "./passwordRecovery";

const appPaths: Readonly<Record<ResetAudience, string>> = { staff: "/staff/", patient: "/portal/" };
const anyOrigin = "https://return.invalid";

/**
 * Whether `value` may ride in an emailed link as the page to open afterwards: a path (and query)
 * of the audience's own app on this site, already in its plain form. An absolute URL, a
 * protocol-relative one ("//evil.example"), a backslash (browsers read "/\evil" as "//evil"),
 * white space or control characters, or dot segments leaving the app ("/staff/../x") are not:
 * an email link must not send anyone elsewhere after they sign in.
 */
export function isReturnPath(audience: ResetAudience, value: string): boolean {
  if (value.length > 512 || !value.startsWith(appPaths[audience])) return false;
  if (value.includes("//") || value.includes("\\") || value.includes("#")) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
  if (/[\u0000-\u0020\u007f]/.test(value)) return false;
  try {
    const url = new URL(value, anyOrigin);
    return url.origin === anyOrigin && `${url.pathname}${url.search}` === value;
  } catch {
    return false;
  }
}

/** The link of an email, with the page to open afterwards in its query when there is one. */
export function withReturnPath(link: string, next: string | undefined): string {
  return next ? `${link}?next=${encodeURIComponent(next)}` : link;
}
