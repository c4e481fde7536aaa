import { allow, type Decision, deny } from "../shared/Decision";

/** How many endpoints a clinic may register, and how long an endpoint's address may be. */
export const webhookLimits = { endpointsPerClinic: 10, urlLength: 2000, deliveryLogLength: 50 } as const;

/** An absolute URL's scheme, authority and rest (RFC 3986), without a URL parser of the runtime. */
const absoluteUrl = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\s]*)([/?#]\S*)?$/;
/** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const hostAndPort = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * INTEG-4: an endpoint is an absolute `https:` URL without credentials in it. Anything else is
 * refused with `INVALID_INPUT` on the field `url` and a `problem` the API words for the admin.
 * The domain reads the URL's parts by RFC 3986's grammar itself: it runs on no platform's URL class.
 */
export function checkEndpointUrl(url: string): Decision {
  if (url.length === 0 || url.length > webhookLimits.urlLength) {
    return deny("INVALID_INPUT", { field: "url", problem: "length" });
  }
  const parts = absoluteUrl.exec(url);
  if (!parts) return deny("INVALID_INPUT", { field: "url", problem: "not_a_url" });
  const [, scheme = "", authority = ""] = parts;
  if (scheme.toLowerCase() !== "https") return deny("INVALID_INPUT", { field: "url", problem: "not_https" });
  if (authority.includes("@")) return deny("INVALID_INPUT", { field: "url", problem: "credentials_in_url" });
  if (!hostAndPort.test(authority)) return deny("INVALID_INPUT", { field: "url", problem: "not_a_url" });
  return allow;
}

/**
 * How a delivery that the receiver did not accept is tried again (INTEG-4): exponential back-off
 * from `firstDelaySeconds`, doubling up to `maxDelaySeconds`, given up after `maxAttempts`. About
 * three days of an unreachable receiver are ridden out; the log then shows the event as failed.
 */
export interface WebhookRetryPolicy {
  readonly maxAttempts: number;
  readonly firstDelaySeconds: number;
  readonly maxDelaySeconds: number;
}

/** The retry schedule of webhook deliveries in production (INTEG-4). */
export const webhookRetryPolicy: WebhookRetryPolicy = {
  maxAttempts: 300,
  firstDelaySeconds: 10,
  maxDelaySeconds: 15 * 60,
};

/** The wait before attempt `attempt + 1`, after `attempt` attempts failed (from 1). */
export function retryDelaySeconds(policy: WebhookRetryPolicy, attempt: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** exponent);
}

/** What becomes of a delivery after an attempt. */
export type DeliveryStep =
  | { readonly status: "delivered" }
  | { readonly status: "pending"; readonly nextAttemptAt: Date }
  | { readonly status: "failed" };

/**
 * After an attempt: a 2xx answer delivers the event; anything else (another status, no answer,
 * a timeout) waits for the next attempt, until the policy gives the event up.
 */
export function afterAttempt(
  policy: WebhookRetryPolicy,
  attempts: number,
  statusCode: number | null,
  at: Date,
): DeliveryStep {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { status: "delivered" };
  if (attempts >= policy.maxAttempts) return { status: "failed" };
  return {
    status: "pending",
    nextAttemptAt: new Date(at.getTime() + retryDelaySeconds(policy, attempts) * 1000),
  };
}

/** The request headers that carry the signature (INTEG-4; docs/webhooks.md shows how to check them). */
export const webhookHeaders = {
  timestamp: "x-clinic-chat-timestamp",
  signature: "x-clinic-chat-signature",
  eventId: "x-clinic-chat-event-id",
} as const;

/**
 * What the HMAC-SHA256 signs: the Unix time in seconds, a dot, and the body exactly as sent. The
 * time in the signed text lets a receiver refuse a replayed request.
 */
export function signedText(timestampSeconds: number, body: string): string {
  return `${timestampSeconds}.${body}`;
}
