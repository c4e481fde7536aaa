/** An error's class name (errors from other libraries need not be this realm's `Error`). */
export function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && /^[A-Za-z0-9_]{1,64}$/.test(name) ? name : "unknown";
}

/** A driver's error code (`ECONNREFUSED`, `57P01`), when it is one; never free text. */
export function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z0-9_]{1,32}$/i.test(code) ? code : null;
}
