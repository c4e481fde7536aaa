import { writeSync } from "node:fs";
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

/**
 * Keys whose values never reach a log line, wherever they appear: credentials, and anything that
 * could carry PHI (SEC-5). The server never logs bodies, inputs or query strings in the first
 * place; this is the net under that rule.
 */
export const redactedKeys = ["cookie", "authorization", "body", "input", "text", "name", "email", "phone"];

const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

/**
 * Standard output (pino's own asynchronous destination), written once per event-loop turn: under
 * load the lines of many requests go out in one write instead of one write each. Lines keep their
 * order; a turn's lines still waiting when the process exits are written synchronously, after
 * what pino itself still holds.
 */
function stdoutByTurns(): DestinationStream {
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
      if (pending === "") setImmediate(writePending);
      pending += line;
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
    opts.destination ?? stdoutByTurns(),
  );
}
