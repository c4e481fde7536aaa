/**
 * The session cookie (SEC-7). `__Host-` when Secure: the browser then accepts it only from this
 * exact host, over HTTPS, for Path=/, so no sibling subdomain can plant or shadow it.
 *
 * SameSite=Strict: the web apps are single-page apps whose HTML needs no cookie; every call that
 * does is a same-site fetch made by the app itself. A link from an email or another site opens
 * the page, and the app's first API call then carries the cookie. Strict therefore costs nothing
 * and keeps every cross-site request, top-level navigations included, unauthenticated.
 *
 * No Max-Age: the cookie ends with the browser session (shared clinic computers); the server
 * ends it sooner by idle timeout or the 12-hour lifetime (SEC-2).
 */
export interface SessionCookie {
  readonly name: string;
  /** The Set-Cookie value that signs this browser in with `token`. */
  set(token: string): string;
  /** The Set-Cookie value that removes the cookie. */
  clear(): string;
  /** The token from a Cookie header, or null. */
  read(cookieHeader: string | null | undefined): string | null;
}

/** The session cookie; `secure` outside local development (HTTPS). */
export function sessionCookie(options: { readonly secure: boolean }): SessionCookie {
  const name = options.secure ? "__Host-clinic_chat_session" : "clinic_chat_session";
  const attributes = `Path=/; HttpOnly; SameSite=Strict${options.secure ? "; Secure" : ""}`;
  return {
    name,
    set: (token) => `${name}=${token}; ${attributes}`,
    clear: () => `${name}=; ${attributes}; Max-Age=0`,
    read(cookieHeader) {
      if (!cookieHeader) return null;
      for (const pair of cookieHeader.split(";")) {
        const at = pair.indexOf("=");
        if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
      }
      return null;
    },
  };
}
