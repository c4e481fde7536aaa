import { randomBytes } from "node:crypto";
import type { Actor, NotificationDeps } from "@clinic-chat/domain";
import {
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  registerWebhookEndpoint,
  setWebhookEnabled,
  type WebhookAdminDeps,
} from "@clinic-chat/domain/webhooks";

/** A new endpoint's signing secret: 32 random bytes, prefixed so that it is recognised if leaked. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** Clinic Settings › Webhooks (INTEG-4): the domain's use cases bound to their ports. */
export function webhookUseCases(domain: Pick<NotificationDeps, "uow" | "clock" | "ids">) {
  const deps: WebhookAdminDeps = {
    uow: domain.uow,
    clock: domain.clock,
    ids: domain.ids,
    secrets: { newSecret: newSigningSecret },
  };
  return {
    list: (actor: Actor) => listWebhookEndpoints(deps, actor),
    register: (actor: Actor, input: { url: string }) => registerWebhookEndpoint(deps, actor, input),
    setEnabled: (actor: Actor, input: { endpointId: string; enabled: boolean }) =>
      setWebhookEnabled(deps, actor, input),
    remove: (actor: Actor, input: { endpointId: string }) => deleteWebhookEndpoint(deps, actor, input),
  };
}

/** The bound webhook use cases. */
export type WebhookUseCases = ReturnType<typeof webhookUseCases>;

/**
 * INTEG-4: what an admin is told when an address is refused, by the domain's `problem`. Never the
 * address itself.
 */
export const webhookUrlProblems: Readonly<Record<string, string>> = {
  not_https: "Webhooks are only sent over HTTPS. Enter an address that starts with https://.",
  not_a_url: "That isn't a web address. Enter the full address, starting with https://.",
  credentials_in_url:
    "The address must not contain a user name or password. Enter it without them; requests are signed instead.",
  length: "That address is too long. Enter an address of at most 2,000 characters.",
  too_many: "This clinic has as many webhook endpoints as it may have. Delete one to add another.",
};
