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

/** What {@link repeatsCounted} writes: an error's class and code, and how many like it it left out. */
export interface CountedError {
  readonly err: string;
  readonly code: string | null;
  /** Errors of this kind since its last line that got no line of their own. */
  readonly repeated?: number;
}

/**
 * A log for errors that repeat while a server is out of reach (a job queue polling a database
 * that is down retries many times a second): the first error of a kind (class and code) is written
 * at once, and the next ones of that kind within `everyMs` are only counted, the count going with
 * the kind's next line. An outage writes a line per kind per interval, not one per retry.
 */
export function repeatsCounted(
  write: (error: CountedError) => void,
  everyMs = 10_000,
  now: () => number = Date.now,
): (error: unknown) => void {
  const kinds = new Map<string, { at: number; left: number }>();
  return (error) => {
    const err = errorName(error);
    const code = codeOf(error);
    const key = `${err} ${code}`;
    const at = now();
    const last = kinds.get(key);
    if (last && at - last.at < everyMs) {
      last.left += 1;
      return;
    }
    kinds.set(key, { at, left: 0 });
    write({ err, code, ...(last && last.left > 0 ? { repeated: last.left } : {}) });
  };
}
