import { createHmac } from "node:crypto";
import { Agent, request } from "node:https";
import { rootCertificates } from "node:tls";
import type { Clock } from "@clinic-chat/domain";
import {
  signedText,
  type WebhookDelivery,
  type WebhookSender,
  webhookBody,
  webhookHeaders,
} from "@clinic-chat/domain/webhooks";

/** Options of {@link createHttpsWebhookSender}. */
export interface HttpsWebhookSenderOptions {
  readonly clock: Clock;
  /**
   * PEM certificates trusted besides the public roots, for a host system behind a private CA
   * (configuration `WEBHOOK_EXTRA_CA_FILE`).
   */
  readonly extraCaCerts?: string | null;
  /** How long a receiver may take to answer, in milliseconds (default 10 seconds). */
  readonly timeoutMs?: number;
}

/** The signature header's value: `v1=` and the hex HMAC-SHA256 of `timestamp.body` (docs/webhooks.md). */
export function webhookSignature(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(signedText(timestampSeconds, body)).digest("hex")}`;
}

/**
 * Sends webhook events over HTTPS (INTEG-4), signed with the endpoint's secret. Redirects are not
 * followed and only `https:` is spoken. The answer's body is drained and never read.
 */
export function createHttpsWebhookSender(options: HttpsWebhookSenderOptions): WebhookSender {
  const ca = options.extraCaCerts ? [...rootCertificates, options.extraCaCerts] : undefined;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Connections are kept for the next request to the same host: a TLS handshake per event would
  // cost more than the event.
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ...(ca ? { ca } : {}) });
  return {
    send(delivery: WebhookDelivery) {
      const url = new URL(delivery.url);
      if (url.protocol !== "https:") return Promise.resolve({ statusCode: null });
      const body = JSON.stringify(webhookBody(delivery.event));
      const timestamp = Math.floor(options.clock.now().getTime() / 1000);
      return new Promise((resolve) => {
        const req = request(
          url,
          {
            method: "POST",
            agent,
            timeout: timeoutMs,
            headers: {
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
              "user-agent": "ClinicChat-Webhooks/1",
              [webhookHeaders.timestamp]: String(timestamp),
              [webhookHeaders.signature]: webhookSignature(delivery.secret, timestamp, body),
              [webhookHeaders.eventId]: delivery.event.id,
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ statusCode: res.statusCode ?? null }));
            res.on("error", () => resolve({ statusCode: res.statusCode ?? null }));
          },
        );
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", () => resolve({ statusCode: null }));
        req.end(body);
      });
    },
  };
}
