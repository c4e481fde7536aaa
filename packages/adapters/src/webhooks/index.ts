/**
 * The HTTPS side of webhooks (INTEG-4): signed requests to the host system's endpoints.
 * @packageDocumentation
 */
export {
  createHttpsWebhookSender,
  type HttpsWebhookSenderOptions,
  webhookSignature,
} from "./httpsWebhookSender";
