import type { Clinic } from "../clinic/Clinic";
import { findPerson } from "../people/loadPerson";
import type { ParticipantFacts, Person } from "../people/Person";
import type { PersonRef } from "../people/people";
import { personKey } from "../people/people";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { nextNotificationStep } from "./coalescing";
import type {
  NotificationCause,
  NotificationContext,
  NotificationEvent,
  NotificationRecipient,
  NotificationState,
} from "./model";
import {
  keepStep,
  type NotificationChanges,
  noNotificationChanges,
  saveNotificationChanges,
} from "./notificationChanges";

/** The notification facts of a person, or null when they cannot be notified (unknown, inactive). */
export async function notificationRecipient(
  stores: Stores,
  person: PersonRef,
): Promise<NotificationRecipient | null> {
  return recipientOf(person, await findPerson(stores, person));
}

/** {@link notificationRecipient} of a person whose directory facts are loaded already (null: unknown). */
export function recipientOf(ref: PersonRef, person: Person | null): NotificationRecipient | null {
  if (ref.kind === "patient") {
    const patient = person?.kind === "patient" ? person.patient : null;
    if (patient?.portalAccount !== "active") return null;
    return {
      person: ref,
      email: patient.email,
      mobilePhone: patient.mobilePhone,
      smsConsent: patient.smsConsent,
      emailNotifications: true,
    };
  }
  const staff = person?.kind === "staff" ? person.staff : null;
  if (!staff?.active) return null;
  return {
    person: ref,
    email: staff.email,
    mobilePhone: null,
    smsConsent: false,
    emailNotifications: staff.emailNotifications,
  };
}

/** The coalescing policy's context for one recipient now. */
export function notificationContext(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  clinic: Clinic,
  recipient: NotificationRecipient,
): NotificationContext {
  return {
    now: deps.clock.now(),
    delayMs: clinic.settings.notificationDelaySeconds * 1000,
    nextBurstId: deps.ids.newId(),
    clinic: {
      name: clinic.name,
      smsNotificationsEnabled: clinic.settings.smsNotificationsEnabled,
      // HOURS-4: patients find the clinic's guidelines in their notification email too.
      guidelines: recipient.person.kind === "patient" ? (clinic.officeHours?.guidelines ?? "") : "",
    },
    recipient,
    signInUrl: recipient.person.kind === "patient" ? deps.links.patientPortal : deps.links.staffApp,
  };
}

/**
 * Applies one event to each recipient's notification state inside the current unit of work, and
 * schedules the timers it asks for (NOTIF-1, NOTIF-2, DEL-4). Recipients are reserved in a fixed
 * order so concurrent sends to overlapping people cannot deadlock.
 */
export async function notifyRecipients(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  clinic: Clinic,
  recipients: readonly PersonRef[],
  cause: NotificationCause,
): Promise<void> {
  await notifyEach(deps, stores, clinic, recipients, cause, (person) =>
    notificationRecipient(stores, person),
  );
}

/**
 * The people among `participants` who can be notified (NOTIF-3's who is the caller's), with their
 * facts as loaded with the conversation, in the order their states are reserved.
 */
export function notifiableRecipients(participants: readonly ParticipantFacts[]): NotificationRecipient[] {
  return inReservationOrder(participants.map((p) => p.ref)).flatMap((ref) => {
    const facts = participants.find((p) => personKey(p.ref) === personKey(ref));
    return recipientOf(ref, facts?.person ?? null) ?? [];
  });
}

/** Recipients sorted the one way every unit of work reserves them, so none can deadlock another. */
function inReservationOrder(people: readonly PersonRef[]): PersonRef[] {
  return [...people].sort((a, b) => (personKey(a) < personKey(b) ? -1 : 1));
}

async function notifyEach(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  clinic: Clinic,
  recipients: readonly PersonRef[],
  cause: NotificationCause,
  recipientFor: (person: PersonRef) => Promise<NotificationRecipient | null>,
): Promise<void> {
  const notifiable: NotificationRecipient[] = [];
  for (const person of inReservationOrder(recipients)) {
    const recipient = await recipientFor(person);
    if (recipient) notifiable.push(recipient);
  }
  if (notifiable.length === 0) return;
  const states = await stores.notifications.reserveStates(notifiable.map((r) => r.person));
  await notifyReserved(deps, stores, clinic, notifiable, states, cause);
}

/**
 * Applies one event to recipients whose states are reserved already (`states[i]` is
 * `recipients[i]`'s, from `stores.notifications.reserveStates`), keeps the burst's messages as the
 * policy says, and schedules the timers it asks for (NOTIF-1, NOTIF-2, DEL-4). Answers each
 * recipient's state after the event, as saved.
 */
export async function notifyReserved(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  clinic: Clinic,
  recipients: readonly NotificationRecipient[],
  states: readonly NotificationState[],
  cause: NotificationCause,
): Promise<NotificationState[]> {
  const changes = noNotificationChanges();
  const after = await stepReserved(deps, stores, clinic, recipients, states, cause, changes);
  await saveNotificationChanges(stores, changes);
  return after;
}

/**
 * {@link notifyReserved} that keeps what it changes in `changes` for the caller to save (with
 * `saveNotificationChanges`, in the same unit of work), so the changes of many events are saved
 * together. Answers each recipient's state after the event.
 */
export async function stepReserved(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  clinic: Clinic,
  recipients: readonly NotificationRecipient[],
  states: readonly NotificationState[],
  cause: NotificationCause,
  changes: NotificationChanges,
): Promise<NotificationState[]> {
  const after: NotificationState[] = [];
  for (const [i, recipient] of recipients.entries()) {
    const person = recipient.person;
    const state = states[i] ?? { status: "idle" };
    const event = await withBurstFacts(stores, person, state, cause);
    const step = nextNotificationStep(state, event, notificationContext(deps, clinic, recipient));
    after.push(step.state);
    keepStep(changes, clinic.id, person, state, step);
  }
  return after;
}

/**
 * The policy's event for a cause: a deletion or a read first drops the messages it makes read or
 * deleted from the recipient's burst, and the event carries how many remain (none without a burst).
 */
async function withBurstFacts(
  stores: Stores,
  person: PersonRef,
  state: NotificationState,
  cause: NotificationCause,
): Promise<NotificationEvent> {
  if (cause.type === "message.posted") return cause;
  if (state.status !== "pending") return { ...cause, remaining: 0 };
  const leaving =
    cause.type === "message.deleted"
      ? { messageId: cause.messageId }
      : { conversationId: cause.conversationId, upToSeq: cause.upToSeq };
  return { ...cause, remaining: await stores.notifications.leaveBurst(person, state.burstId, leaving) };
}

/**
 * The kinds of people other than `sender` who may hear of a sender's message: exactly those
 * {@link shouldNotify} can answer yes for (patients always, staff only when a patient sends).
 */
export function notifiableKinds(sender: PersonRef): PersonRef["kind"][] {
  return sender.kind === "patient" ? ["patient", "staff"] : ["patient"];
}

/**
 * Who should hear about a new message (NOTIF-3): patients always (while their portal account is
 * active), staff only about messages from patients, and never the sender.
 */
export function shouldNotify(sender: PersonRef, recipient: PersonRef): boolean {
  if (recipient.kind === sender.kind && recipient.id === sender.id) return false;
  return recipient.kind === "patient" || sender.kind === "patient";
}
