import { describe, expect, it } from "vitest";
import { nextNotificationStep } from "../../src/notifications/coalescing";
import type {
  NotificationAction,
  NotificationContext,
  NotificationEvent,
  NotificationRecipient,
  NotificationState,
  PendingMessage,
} from "../../src/notifications/model";

const t0 = Date.parse("2030-01-01T09:00:00Z");
const delayMs = 120_000;
const at = (ms: number) => new Date(t0 + ms);

const patient: NotificationRecipient = {
  person: { kind: "patient", id: "p1" },
  email: "pat@example.org",
  mobilePhone: "+15550100",
  smsConsent: true,
  emailNotifications: true,
};

function ctx(nowMs: number, overrides: Partial<NotificationContext> = {}): NotificationContext {
  return {
    now: at(nowMs),
    delayMs,
    nextBurstId: `burst-at-${nowMs}`,
    clinic: { name: "Lakeside Clinic", smsNotificationsEnabled: false },
    recipient: patient,
    signInUrl: "https://portal.example/portal",
    ...overrides,
  };
}

const m = (messageId: string, conversationId = "c1", seq = 1): PendingMessage => ({
  messageId,
  conversationId,
  seq,
});
const posted = (message: PendingMessage): NotificationEvent => ({ type: "message.posted", message });
/**
 * The timer of a burst, with how many messages the store holds for it and their conversations
 * (two by default: the notification links to the list).
 */
const fired = (burstId: string, messageCount: number, conversationIds = ["c1", "c2"]): NotificationEvent => ({
  type: "timer.fired",
  burstId,
  messageCount,
  conversationIds,
});
/** A deletion, with how many of the burst's messages the store still holds after dropping it. */
const deleted = (messageId: string, remaining: number): NotificationEvent => ({
  type: "message.deleted",
  messageId,
  remaining,
});
/** A read, with how many of the burst's messages the store still holds after dropping the read ones. */
const read = (conversationId: string, upToSeq: number, remaining: number): NotificationEvent => ({
  type: "conversation.read",
  conversationId,
  upToSeq,
  remaining,
});
const idle: NotificationState = { status: "idle" };

function pending(burstId = "b1", dueAtMs = delayMs): NotificationState {
  return { status: "pending", burstId, dueAt: at(dueAtMs) };
}

/** Runs events through the policy, each at its own time, and returns the last state and all actions. */
function run(steps: [number, NotificationEvent][], overrides: Partial<NotificationContext> = {}) {
  let state = idle;
  const actions: NotificationAction[] = [];
  for (const [nowMs, event] of steps) {
    const step = nextNotificationStep(state, event, ctx(nowMs, overrides));
    state = step.state;
    actions.push(...step.actions);
  }
  return { state, actions };
}

const sendFor = (burstId: string, messageCount: number): NotificationAction => ({
  type: "send",
  burstId,
  channels: ["email"],
  payload: {
    subject: "New secure message from Lakeside Clinic",
    text: "You have a new secure message from Lakeside Clinic. Sign in to read it.\n\nhttps://portal.example/portal/chat",
    clinicName: "Lakeside Clinic",
    link: "https://portal.example/portal/chat",
  },
  messageCount,
});

describe("nextNotificationStep", () => {
  it("NOTIF-1: the first unread message starts a burst, schedules its timer after the delay and joins it", () => {
    const step = nextNotificationStep(idle, posted(m("m1")), ctx(5_000));
    expect(step.state).toEqual({ status: "pending", burstId: "burst-at-5000", dueAt: at(125_000) });
    expect(step.actions).toEqual([
      { type: "schedule", burstId: "burst-at-5000", at: at(125_000) },
      { type: "join", burstId: "burst-at-5000", message: m("m1") },
    ]);
  });

  it("NOTIF-1: the delay is configurable", () => {
    const step = nextNotificationStep(idle, posted(m("m1")), ctx(0, { delayMs: 30_000 }));
    expect(step.actions).toEqual([
      { type: "schedule", burstId: "burst-at-0", at: at(30_000) },
      { type: "join", burstId: "burst-at-0", message: m("m1") },
    ]);
  });

  it("NOTIF-1: later messages join the burst without a new timer, a later due time or a new state", () => {
    const state = pending();
    const step = nextNotificationStep(state, posted(m("m2", "c2", 7)), ctx(110_000));
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([{ type: "join", burstId: "b1", message: m("m2", "c2", 7) }]);
  });

  it("NOTIF-1: a message delivered twice changes no state; it joins again and the store keeps it once", () => {
    const state = pending();
    const step = nextNotificationStep(state, posted(m("m1")), ctx(1_000));
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([{ type: "join", burstId: "b1", message: m("m1") }]);
  });

  it("NOTIF-1: the timer sends one notification for the whole burst, counting what the store holds", () => {
    const step = nextNotificationStep(pending(), fired("b1", 2), ctx(delayMs));
    expect(step.state).toEqual(idle);
    expect(step.actions).toEqual([sendFor("b1", 2)]);
  });

  it("NOTIF-1: a timer that fires early is rescheduled for the due time and sends nothing", () => {
    const state = pending();
    const step = nextNotificationStep(state, fired("b1", 1), ctx(delayMs - 1));
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([{ type: "reschedule", burstId: "b1", at: at(delayMs) }]);
  });

  it("NOTIF-1: a late timer still sends", () => {
    const step = nextNotificationStep(pending(), fired("b1", 1), ctx(delayMs * 10));
    expect(step.actions).toEqual([sendFor("b1", 1)]);
  });

  it("NOTIF-1: after a send the next message starts a new burst with a fresh id", () => {
    const { actions } = run([
      [0, posted(m("m1"))],
      [delayMs, fired("burst-at-0", 1)],
      [delayMs + 5, posted(m("m2", "c1", 2))],
      [2 * delayMs, fired("burst-at-0", 1)], // the old timer again: stale, whatever count it carries
      [2 * delayMs + 5, fired("burst-at-120005", 1)],
    ]);
    expect(actions.map((a) => `${a.type}:${a.burstId}`)).toEqual([
      "schedule:burst-at-0",
      "join:burst-at-0",
      "send:burst-at-0",
      "schedule:burst-at-120005",
      "join:burst-at-120005",
      "send:burst-at-120005",
    ]);
  });

  it("NOTIF-1: a timer of another burst is ignored while a burst is pending", () => {
    const state = pending();
    const step = nextNotificationStep(state, fired("b0", 3), ctx(delayMs * 2));
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([]);
  });

  it("NOTIF-2: reading before the delay sends nothing", () => {
    const { state, actions } = run([
      [0, posted(m("m1", "c1", 1))],
      [1_000, posted(m("m2", "c1", 2))],
      [60_000, read("c1", 2, 0)],
      [delayMs, fired("burst-at-0", 0)],
    ]);
    expect(state).toEqual(idle);
    expect(actions).toEqual([
      { type: "schedule", burstId: "burst-at-0", at: at(delayMs) },
      { type: "join", burstId: "burst-at-0", message: m("m1", "c1", 1) },
      { type: "join", burstId: "burst-at-0", message: m("m2", "c1", 2) },
      { type: "cancel", burstId: "burst-at-0" },
    ]);
  });

  it("NOTIF-2: a read that leaves none of the burst unread cancels it", () => {
    const step = nextNotificationStep(pending(), read("c1", 3, 0), ctx(1_000));
    expect(step).toEqual({ state: idle, actions: [{ type: "cancel", burstId: "b1" }] });
  });

  it.each([1, 2, 17])(
    "NOTIF-2: a read that leaves %i of the burst unread (another conversation, later messages, or none of the burst read) keeps it",
    (remaining) => {
      const state = pending();
      const step = nextNotificationStep(state, read("c1", 1, remaining), ctx(1_000));
      expect(step.state).toBe(state);
      expect(step.actions).toEqual([]);
    },
  );

  it("NOTIF-2: after a partial read the timer sends, counting what the store still holds", () => {
    const { state, actions } = run([
      [0, posted(m("m1", "c1", 1))],
      [1, posted(m("m2", "c1", 2))],
      [2, read("c1", 1, 1)],
      [delayMs, fired("burst-at-0", 1)],
    ]);
    expect(state).toEqual(idle);
    expect(actions.at(-1)).toEqual(sendFor("burst-at-0", 1));
  });

  it("DEL-4: deleting the only message cancels the burst and nothing is sent", () => {
    const { state, actions } = run([
      [0, posted(m("m1"))],
      [10, deleted("m1", 0)],
      [delayMs, fired("burst-at-0", 0)],
    ]);
    expect(state).toEqual(idle);
    expect(actions).toEqual([
      { type: "schedule", burstId: "burst-at-0", at: at(delayMs) },
      { type: "join", burstId: "burst-at-0", message: m("m1") },
      { type: "cancel", burstId: "burst-at-0" },
    ]);
  });

  it("DEL-4: a deletion that leaves none of the burst unread cancels it", () => {
    const step = nextNotificationStep(pending(), deleted("m1", 0), ctx(1));
    expect(step).toEqual({ state: idle, actions: [{ type: "cancel", burstId: "b1" }] });
  });

  it.each([1, 2, 17])(
    "DEL-4: a deletion that leaves %i of the burst unread (one of several, or a message the burst does not hold) keeps it",
    (remaining) => {
      const state = pending();
      const step = nextNotificationStep(state, deleted("m1", remaining), ctx(1));
      expect(step.state).toBe(state);
      expect(step.actions).toEqual([]);
    },
  );

  it.each([0, -1])(
    "DEL-4: a timer whose burst holds %i messages (emptied or damaged) ends it silently",
    (messageCount) => {
      const step = nextNotificationStep(pending(), fired("b1", messageCount), ctx(delayMs));
      expect(step).toEqual({ state: idle, actions: [] });
    },
  );

  it("NOTIF-3: a patient with SMS allowed gets email and SMS", () => {
    const step = nextNotificationStep(
      pending(),
      fired("b1", 1),
      ctx(delayMs, { clinic: { name: "Lakeside Clinic", smsNotificationsEnabled: true } }),
    );
    expect(step.actions).toMatchObject([{ type: "send", channels: ["email", "sms"], messageCount: 1 }]);
  });

  it("NOTIF-3: staff who turned email off get nothing, and the burst still ends", () => {
    const staff: NotificationRecipient = {
      person: { kind: "staff", id: "s1" },
      email: "doc@clinic.example",
      mobilePhone: "+15550111",
      smsConsent: true,
      emailNotifications: false,
    };
    const step = nextNotificationStep(
      pending(),
      fired("b1", 3),
      ctx(delayMs, { recipient: staff, clinic: { name: "X", smsNotificationsEnabled: true } }),
    );
    expect(step).toEqual({ state: idle, actions: [] });
  });

  it.each<NotificationEvent>([
    deleted("m1", 0),
    read("c1", 99, 0),
    fired("b1", 0),
    // Counts a damaged store might report without a burst must not start or send anything either.
    deleted("m1", 2),
    read("c1", 99, 2),
    fired("b1", 2),
  ])("NOTIF-1: $type while idle changes nothing", (event) => {
    const step = nextNotificationStep(idle, event, ctx(delayMs * 3));
    expect(step.state).toBe(idle);
    expect(step.actions).toEqual([]);
  });

  it("NOTIF-6: the policy is deterministic and does not mutate its inputs", () => {
    const state = deepFreeze(pending());
    const events: NotificationEvent[] = [
      posted(m("m3", "c3")),
      deleted("m1", 1),
      deleted("m1", 0),
      read("c2", 1, 1),
      read("c2", 1, 0),
      fired("b1", 2),
      fired("b1", 0),
    ];
    for (const event of events) {
      const context = deepFreeze(ctx(delayMs));
      const first = nextNotificationStep(state, deepFreeze(event), context);
      expect(nextNotificationStep(state, event, context)).toEqual(first);
    }
    for (const s of [idle, state]) {
      const context = deepFreeze(ctx(0));
      const event = deepFreeze(posted(m("m4")));
      expect(nextNotificationStep(s, event, context)).toEqual(nextNotificationStep(s, event, context));
    }
    expect(state).toEqual(pending());
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
