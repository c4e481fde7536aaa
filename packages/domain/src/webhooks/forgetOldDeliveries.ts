import type { UnitOfWork } from "../shared/UnitOfWork";
import { webhookLimits } from "./webhookRules";

/**
 * INTEG-4: each endpoint keeps the deliveries its admin page shows, its newest
 * `webhookLimits.deliveryLogLength`; settled ones past them are forgotten, so the outbox does not
 * grow with every event ever sent. An event still waiting is never forgotten: the order per
 * conversation rests on it. Run for a clinic by the periodic upkeep; answers how many went.
 */
export function forgetOldDeliveries(deps: { readonly uow: UnitOfWork }, clinicId: string): Promise<number> {
  return deps.uow.run(clinicId, (stores) => stores.webhooks.forgetSettled(webhookLimits.deliveryLogLength));
}
