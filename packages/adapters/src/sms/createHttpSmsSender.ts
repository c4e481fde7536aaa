import type { SmsSender } from "@clinic-chat/domain";
import { SmsDeliveryError } from "./SmsDeliveryError";

/** How to reach a Twilio-compatible messaging API. */
export interface HttpSmsSenderOptions {
  /** The API's origin, such as `https://api.twilio.com`. */
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** The sending number in E.164 form. */
  readonly from: string;
  /** Replaces the global `fetch`, for proxies or instrumentation. */
  readonly fetch?: typeof fetch;
  /** How long one request may take, answer included; 10 seconds unless set. */
  readonly timeoutMs?: number;
}

/**
 * The domain's {@link SmsSender} over Twilio's Messages API (or any service that speaks it).
 * The body is the payload's text only, which the domain builds PHI-free (NOTIF-4).
 * Failures throw {@link SmsDeliveryError}: 429, 5xx, network errors and timeouts are retryable,
 * any other answer is permanent (NOTIF-5).
 */
export function createHttpSmsSender(options: HttpSmsSenderOptions): SmsSender {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = `${options.baseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;

  return {
    async send(to, payload) {
      const signal = AbortSignal.timeout(timeoutMs);
      let response: Response;
      let answer: string;
      try {
        response = await doFetch(url, {
          method: "POST",
          headers: { authorization, accept: "application/json" },
          // URLSearchParams makes fetch send application/x-www-form-urlencoded, as the API expects.
          body: new URLSearchParams({ To: to, From: options.from, Body: payload.text }),
          // A redirect would re-send the message elsewhere; treat it as a misconfiguration.
          redirect: "manual",
          signal,
        });
        // Read the answer inside the timeout too, so a provider that stalls mid-answer is caught.
        answer = await response.text();
      } catch (error) {
        // The original error is not kept as `cause`: its text is not ours to vouch for (SEC-5).
        if (signal.aborted) {
          throw new SmsDeliveryError(`SMS provider did not answer within ${timeoutMs} ms`, true);
        }
        throw new SmsDeliveryError(`SMS provider could not be reached${networkCode(error)}`, true);
      }
      if (response.ok) return;

      const status = response.status;
      const providerCode = providerCodeOf(answer);
      const detail = providerCode === undefined ? `HTTP ${status}` : `HTTP ${status}, code ${providerCode}`;
      const retryable = status === 429 || status >= 500;
      throw new SmsDeliveryError(
        retryable
          ? `SMS provider is unavailable (${detail})`
          : `SMS provider refused the message (${detail})`,
        retryable,
        status,
        providerCode,
      );
    },
  };
}

/** Twilio's numeric error code from an error answer; its `message` may quote the number, so it is left out. */
function providerCodeOf(answer: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(answer);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "code" in parsed &&
      typeof parsed.code === "number"
    ) {
      return parsed.code;
    }
  } catch {
    // Not JSON (a proxy's error page): there is no provider code to report.
  }
  return undefined;
}

/** The system error code under fetch's generic "fetch failed", such as ` (ECONNREFUSED)`. */
function networkCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined;
  return typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : "";
}
