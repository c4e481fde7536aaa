import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed, deny } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { SigningSecrets, WebhookDeliveryRecord, WebhookEndpoint } from "./ports";
import { checkEndpointUrl, webhookLimits } from "./webhookRules";

/** What managing webhooks needs besides the chat's ports. */
export interface WebhookAdminDeps extends Pick<ChatDeps, "uow" | "clock" | "ids"> {
  readonly secrets: SigningSecrets;
}

/** An endpoint as Clinic Settings › Webhooks lists it, with its latest deliveries. */
export interface WebhookEndpointView extends WebhookEndpoint {
  readonly deliveries: readonly WebhookDeliveryRecord[];
}

/**
 * An admin registers an HTTPS endpoint for the clinic's events (INTEG-4). The signing secret is
 * answered here once and never again. Audited (SEC-3) as a change of credentials.
 */
export function registerWebhookEndpoint(
  deps: WebhookAdminDeps,
  actor: Actor,
  input: { url: string },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  return audited(deps, actor, "webhook.register", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const url = input.url.trim();
    assertAllowed(checkEndpointUrl(url));
    const existing = await stores.webhooks.endpoints();
    if (existing.length >= webhookLimits.endpointsPerClinic) {
      assertAllowed(deny("INVALID_INPUT", { field: "url", problem: "too_many" }));
    }
    const endpoint: WebhookEndpoint = {
      id: deps.ids.newId(),
      clinicId: actor.clinicId,
      url,
      enabled: true,
      createdAt: deps.clock.now(),
    };
    const secret = deps.secrets.newSecret();
    await stores.webhooks.addEndpoint(endpoint, secret);
    return { endpoint, secret };
  });
}

/** The clinic's endpoints with their delivery logs (INTEG-4), for its admins. */
export function listWebhookEndpoints(deps: WebhookAdminDeps, actor: Actor): Promise<WebhookEndpointView[]> {
  return audited(deps, actor, "webhook.list", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const endpoints = await stores.webhooks.endpoints();
    const views: WebhookEndpointView[] = [];
    for (const endpoint of endpoints) {
      views.push({
        ...endpoint,
        deliveries: await stores.webhooks.deliveryLog(endpoint.id, webhookLimits.deliveryLogLength),
      });
    }
    return views;
  });
}

/** An admin switches an endpoint on or off; a disabled endpoint is sent nothing new. */
export function setWebhookEnabled(
  deps: WebhookAdminDeps,
  actor: Actor,
  input: { endpointId: string; enabled: boolean },
): Promise<{ enabled: boolean }> {
  return audited(deps, actor, input.enabled ? "webhook.enable" : "webhook.disable", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    if (!(await stores.webhooks.setEnabled(input.endpointId, input.enabled)))
      throw new DomainError("NOT_FOUND");
    return { enabled: input.enabled };
  });
}

/** An admin deletes an endpoint, with what still waited for it and its log. */
export function deleteWebhookEndpoint(
  deps: WebhookAdminDeps,
  actor: Actor,
  input: { endpointId: string },
): Promise<{ deleted: true }> {
  return audited(deps, actor, "webhook.delete", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    if (!(await stores.webhooks.removeEndpoint(input.endpointId))) throw new DomainError("NOT_FOUND");
    return { deleted: true };
  });
}
