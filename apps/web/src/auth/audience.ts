/** The two apps of one build: each has its own sign-in and its own route tree. */
export type Audience = "staff" | "patient";

/** Where each app's pages live. */
export const appBase: Readonly<Record<Audience, "/staff" | "/portal">> = {
  staff: "/staff",
  patient: "/portal",
};

/** Why someone lands on the sign-in page without asking to. */
export type SignInReason = "idle" | "ended" | "signedOut" | "passwordReset";

/** The notice the sign-in page shows for each reason. */
export const signInNotices: Readonly<Record<SignInReason, string>> = {
  idle: "You were signed out because there was no activity for a while. Sign in again to continue.",
  ended: "Your session has ended. Sign in again to continue.",
  signedOut: "You are signed out.",
  passwordReset: "Your password is changed. Sign in with your new password.",
};

/** What the sign-in, forgot-password and reset-password pages read from their address. */
export interface SignInSearch {
  reason?: SignInReason;
  /** The page of this app the person was going to, to open once they are signed in. */
  next?: string;
}

// The pages before a session: returning to one of them after signing in would go round in circles.
const beforeSession = ["sign-in", "forgot-password", "reset-password", "invitation"];
const anyOrigin = "https://next.invalid";

/**
 * The `next` parameter when it is a page of this app on this site, as a path and query; anything
 * else is dropped. An absolute URL ("https://evil.example"), a protocol-relative one ("//evil"),
 * a backslash (browsers read "/\evil" as "//evil"), control characters, or a path leaving the app
 * ("/staff/../portal") could send a person who just signed in to another site or app.
 */
export function nextPathFor(audience: Audience, value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 512) return undefined;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
  if (/[\u0000-\u0020\u007f]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, anyOrigin);
  } catch {
    return undefined;
  }
  const base = appBase[audience];
  if (url.origin !== anyOrigin || !url.pathname.startsWith(`${base}/`)) return undefined;
  if (beforeSession.includes(url.pathname.slice(base.length + 1))) return undefined;
  return `${url.pathname}${url.search}`;
}

/** Reads the search parameters of the sign-in pages of `audience`; anything else is dropped. */
export function signInSearchOf(audience: Audience) {
  return (search: Record<string, unknown>): SignInSearch => {
    const reason = search.reason;
    const next = nextPathFor(audience, search.next);
    return {
      ...(reason === "idle" || reason === "ended" || reason === "signedOut" || reason === "passwordReset"
        ? { reason }
        : {}),
      ...(next ? { next } : {}),
    };
  };
}
