import { writeSync } from "node:fs";
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

/**
 * Keys whose values never reach a log line, wherever they appear: credentials, and anything that
 * could carry PHI (SEC-5). The server never logs bodies, inputs or query strings in the first
 * place; this is the net under that rule.
 */
export const redactedKeys = ["cookie", "authorization", "body", "input", "text", "name", "email", "phone"];

const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

/** How long a log line may wait for others to go out in the same write. */
const lineDelayMs = 10;
/** Waiting lines are written at once beyond this many characters. */
const maxPendingChars = 64 * 1024;

/**
 * Standard output (pino's own asynchronous destination), written at most every
 * {@link lineDelayMs}: under load, the lines of many requests go out in one write instead of one
 * write each. Lines keep their order; lines still waiting when the process exits (process.exit,
 * an uncaught exception) are written synchronously, after what pino itself still holds. A process
 * killed outright loses at most the last {@link lineDelayMs} of lines.
 */
function stdoutInBatches(): DestinationStream {
  const out = pino.destination({ dest: 1, sync: false });
  let pending = "";
  const writePending = () => {
    const chunk = pending;
    pending = "";
    if (chunk !== "") out.write(chunk);
  };
  process.once("exit", () => {
    if (pending === "") return;
    try {
      out.flushSync();
    } catch {
      // Not open (yet): the pending lines below are all there is to write.
    }
    writeSync(1, pending);
    pending = "";
  });
  return {
    write(line: string) {
      if (pending === "") setTimeout(writePending, lineDelayMs).unref();
      pending += line;
      if (pending.length > maxPendingChars) writePending();
    },
    flush(cb?: (error?: Error) => void) {
      writePending();
      out.flush(cb);
    },
  } as DestinationStream;
}

/**
 * The API's structured logger: JSON lines with the redaction list applied, to `destination` or
 * else to standard output.
 */
export function createLogger(opts: { level: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    { level: opts.level, base: null, redact: { paths: redactPaths, censor: "[redacted]" } },
    opts.destination ?? stdoutInBatches(),
  );
}
