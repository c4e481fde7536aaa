// The token taken from each page's link, by path: the page may mount more than once for one
// visit (its route loads its code first, then renders again) while the fragment is gone after
// the first mount.
const taken = new Map<string, string>();

/**
 * Reads a one-use token (invitation, password reset) from the link's fragment, then removes it
 * from the address bar and the history: it works once and should not sit in the browser after
 * use. `keepQuery` leaves the query (where the person was going) in the address.
 */
export function takeFragmentToken(keepQuery = false): string {
  const path = window.location.pathname;
  const token = window.location.hash.replace(/^#/, "");
  if (token) {
    taken.set(path, token);
    window.history.replaceState(null, "", keepQuery ? `${path}${window.location.search}` : path);
  }
  return taken.get(path) ?? "";
}

/** Forgets the token of the page at `path` once it has been used. */
export function forgetFragmentToken(path: string = window.location.pathname): void {
  taken.delete(path);
}
