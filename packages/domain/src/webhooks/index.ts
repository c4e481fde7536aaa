/** Webhooks to the host system (INTEG-4): `@clinic-chat/domain/webhooks`. */
export { type DeliveryRun, deliverWebhooks, type WebhookWorkerDeps } from "./deliverWebhooks";
export { forgetOldDeliveries } from "./forgetOldDeliveries";
export {
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  registerWebhookEndpoint,
  setWebhookEnabled,
  type WebhookAdminDeps,
  type WebhookEndpointView,
} from "./manageWebhooks";
export type {
  SigningSecrets,
  WebhookDelivery,
  WebhookDeliveryRecord,
  WebhookEndpoint,
  WebhookQueue,
  WebhookSender,
  WebhookStore,
} from "./ports";
export {
  eventsOfDeletion,
  eventsOfInboxChange,
  eventsOfPost,
  eventsOfRead,
  tellHost,
} from "./tellHost";
export {
  orderingKey,
  type WebhookBody,
  type WebhookEventDraft,
  type WebhookEventFacts,
  type WebhookEventType,
  webhookBody,
  webhookEventTypes,
} from "./WebhookEvent";
export {
  afterAttempt,
  checkEndpointUrl,
  type DeliveryStep,
  retryDelaySeconds,
  signedText,
  type WebhookRetryPolicy,
  webhookHeaders,
  webhookLimits,
  webhookRetryPolicy,
} from "./webhookRules";
