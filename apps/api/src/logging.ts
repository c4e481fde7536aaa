import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

/**
 * Keys whose values never reach a log line, wherever they appear: credentials, and anything that
 * could carry PHI (SEC-5). The server never logs bodies, inputs or query strings in the first
 * place; this is the net under that rule.
 */
export const redactedKeys = ["cookie", "authorization", "body", "input", "text", "name", "email", "phone"];

const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

/** The API's structured logger: JSON lines with the redaction list applied. */
export function createLogger(opts: { level: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    { level: opts.level, base: null, redact: { paths: redactPaths, censor: "[redacted]" } },
    opts.destination,
  );
}
