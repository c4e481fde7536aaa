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

/** The headers every response carries (SEC-7), as name/value pairs: computed once per server. */
export function securityHeaderList(opts: SecurityHeaderOptions): readonly (readonly [string, string])[] {
  return [
    ["Content-Security-Policy", contentSecurityPolicy(opts.connectSources)],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "no-referrer"],
    ["X-Frame-Options", "DENY"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Cross-Origin-Resource-Policy", "same-origin"],
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"],
    ...(opts.secure ? [["Strict-Transport-Security", "max-age=31536000; includeSubDomains"] as const] : []),
  ];
}

/** Sets the headers every response carries, whatever it is (SEC-7). */
export function setSecurityHeaders(res: ServerResponse, opts: SecurityHeaderOptions): void {
  for (const [name, value] of securityHeaderList(opts)) res.setHeader(name, value);
}
