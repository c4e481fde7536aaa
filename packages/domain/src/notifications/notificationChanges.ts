import { type PersonRef, personKey } from "../people/people";
import type { Stores } from "../shared/UnitOfWork";
import type { NotificationState, NotificationStep, NotificationTimer, PendingMessage } from "./model";

/** A recipient's state to save. */
export interface StateChange {
  readonly recipient: PersonRef;
  readonly state: NotificationState;
}

/** A timer to schedule. */
export interface TimerChange {
  readonly timer: NotificationTimer;
  readonly runAt: Date;
}

/** A message joining a recipient's burst. */
export interface BurstJoin {
  readonly recipient: PersonRef;
  readonly burstId: string;
  readonly message: PendingMessage;
}

/**
 * What notifying changes in one unit of work, kept until it is saved: each recipient's latest
 * state, the timers asked for, the messages their bursts take. However many messages and
 * recipients, saving it is one call per kind, and it leaves what saving each step as it came would
 * leave: a state that ends a burst also drops what this unit of work had added to that burst.
 */
export interface NotificationChanges {
  readonly states: Map<string, StateChange>;
  readonly timers: TimerChange[];
  readonly joins: BurstJoin[];
}

/** Nothing changed yet. */
export function noNotificationChanges(): NotificationChanges {
  return { states: new Map(), timers: [], joins: [] };
}

/**
 * Keeps a step of the coalescing policy for `recipient`, whose state was `before`: its state when
 * it changed, the timers it schedules, the messages joining a burst ("cancel" needs nothing kept:
 * the timer finds its burst gone and does nothing).
 */
export function keepStep(
  changes: NotificationChanges,
  clinicId: string,
  recipient: PersonRef,
  before: NotificationState,
  step: NotificationStep,
): void {
  const key = personKey(recipient);
  if (step.state !== before) {
    changes.states.set(key, { recipient, state: step.state });
    // Saving a state forgets the messages of every other burst, those joined here as well.
    const kept = changes.joins.filter(
      (j) =>
        personKey(j.recipient) !== key ||
        (step.state.status === "pending" && j.burstId === step.state.burstId),
    );
    changes.joins.splice(0, changes.joins.length, ...kept);
  }
  for (const action of step.actions) {
    if (action.type === "schedule" || action.type === "reschedule") {
      changes.timers.push({ timer: { clinicId, recipient, burstId: action.burstId }, runAt: action.at });
    } else if (action.type === "join") {
      changes.joins.push({ recipient, burstId: action.burstId, message: action.message });
    }
  }
}

/** Saves the changes in the unit of work: states first (ending bursts), then timers and joins. */
export async function saveNotificationChanges(stores: Stores, changes: NotificationChanges): Promise<void> {
  if (changes.states.size > 0) await stores.notifications.saveStates([...changes.states.values()]);
  if (changes.timers.length > 0) await stores.notificationQueue.schedule(changes.timers);
  if (changes.joins.length > 0) await stores.notifications.joinBursts(changes.joins);
}
