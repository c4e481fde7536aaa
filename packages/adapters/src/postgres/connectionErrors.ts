/**
 * A socket's errors that end its connection: reset or broken by the peer, timed out (keep-alive
 * probes or retransmissions unanswered: a network lost without a word, as on a failover behind a
 * load balancer), or no route to the server any more.
 */
const socketLost = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * Whether `error` says the connection itself is gone: postgres.js's own connection errors, a
 * socket's, or the server's (class 08, and 57P0x: shut down, crashed, not accepting connections).
 */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    (code.startsWith("CONNECTION_") ||
      code.startsWith("08") ||
      code.startsWith("57P0") ||
      socketLost.has(code))
  );
}

/**
 * Whether `error` says the database cannot be reached right now (lost, refused or timed-out
 * connections, a server shutting down or starting): worth trying again shortly.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isConnectionLost(error) || code === "ECONNREFUSED" || code === "CONNECT_TIMEOUT";
}
