import type { ServerResponse } from "node:http";

/** Options for {@link setSecurityHeaders}. */
export interface SecurityHeaderOptions {
  /** Served over HTTPS: adds Strict-Transport-Security. */
  readonly secure: boolean;
  /** Origins the browser may also fetch from and show images of (object storage for presigned URLs, FILE-1). */
  readonly connectSources: readonly string[];
}

/** The Content-Security-Policy of every response: our own origin only, never framed. */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  const extra = connectSources.length > 0 ? ` ${connectSources.join(" ")}` : "";
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    `connect-src 'self'${extra}`,
    `img-src 'self' data: blob:${extra}`,
  ].join("; ");
}

/** Sets the headers every response carries, whatever it is (SEC-7). */
export function setSecurityHeaders(res: ServerResponse, opts: SecurityHeaderOptions): void {
  res.setHeader("Content-Security-Policy", contentSecurityPolicy(opts.connectSources));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (opts.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}
