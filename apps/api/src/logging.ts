import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

/**
 * Keys whose values never reach a log line, wherever they appear: credentials, and anything that
 * could carry PHI (SEC-5). The server never logs bodies, inputs or query strings in the first
 * place; this is the net under that rule.
 */
export const redactedKeys = ["cookie", "authorization", "body", "input", "text", "name", "email", "phone"];

const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

/**
 * Standard output through pino's own asynchronous destination: lines gather up to `minLength`
 * characters so that, under load, many requests' lines go out in one write. `periodicFlush` writes
 * what waits once a second, so a quiet server's lines still reach the log; it is not shorter because
 * each period costs a write (an empty one when nothing waits) in every process, busy or idle. Lines
 * keep their order. pino writes what is still buffered synchronously when the process exits
 * (process.exit, an uncaught exception) and at every `fatal` line; a process killed outright loses
 * what is still buffered.
 */
function stdout(): DestinationStream {
  return pino.destination({ dest: 1, minLength: 4096, sync: false, periodicFlush: 1000 });
}

/**
 * The API's structured logger: JSON lines with the redaction list applied, to `destination` or
 * else to standard output.
 */
export function createLogger(opts: { level: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    { level: opts.level, base: null, redact: { paths: redactPaths, censor: "[redacted]" } },
    opts.destination ?? stdout(),
  );
}
