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
    signInUrl: "https://portal.example/sign-in",
    ...overrides,
  };
}

const m = (messageId: string, conversationId = "c1", seq = 1): PendingMessage => ({
  messageId,
  conversationId,
  seq,
});
const posted = (message: PendingMessage): NotificationEvent => ({ type: "message.posted", message });
const fired = (burstId: string): NotificationEvent => ({ type: "timer.fired", burstId });
const idle: NotificationState = { status: "idle" };

function pending(messages: PendingMessage[], burstId = "b1", dueAtMs = delayMs): NotificationState {
  return { status: "pending", burstId, dueAt: at(dueAtMs), messages };
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

describe("nextNotificationStep", () => {
  it("NOTIF-1: the first unread message starts a burst and schedules its timer after the delay", () => {
    const step = nextNotificationStep(idle, posted(m("m1")), ctx(5_000));
    expect(step.state).toEqual({
      status: "pending",
      burstId: "burst-at-5000",
      dueAt: at(125_000),
      messages: [m("m1")],
    });
    expect(step.actions).toEqual([{ type: "schedule", burstId: "burst-at-5000", at: at(125_000) }]);
  });

  it("NOTIF-1: the delay is configurable", () => {
    const step = nextNotificationStep(idle, posted(m("m1")), ctx(0, { delayMs: 30_000 }));
    expect(step.actions).toEqual([{ type: "schedule", burstId: "burst-at-0", at: at(30_000) }]);
  });

  it("NOTIF-1: later messages join the burst without a new timer or a later due time", () => {
    const step = nextNotificationStep(pending([m("m1")]), posted(m("m2", "c2", 7)), ctx(110_000));
    expect(step.state).toEqual(pending([m("m1"), m("m2", "c2", 7)]));
    expect(step.actions).toEqual([]);
  });

  it("NOTIF-1: a message delivered twice counts once", () => {
    const state = pending([m("m1")]);
    const step = nextNotificationStep(state, posted(m("m1")), ctx(1_000));
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([]);
  });

  it("NOTIF-1: the timer sends one notification for the whole burst and returns to idle", () => {
    const step = nextNotificationStep(pending([m("m1"), m("m2", "c2")]), fired("b1"), ctx(delayMs));
    expect(step.state).toEqual(idle);
    expect(step.actions).toEqual([
      {
        type: "send",
        burstId: "b1",
        channels: ["email"],
        payload: {
          subject: "New secure message from Lakeside Clinic",
          text: "You have a new secure message from Lakeside Clinic. Sign in to read it.\n\nhttps://portal.example/sign-in",
          clinicName: "Lakeside Clinic",
          link: "https://portal.example/sign-in",
        },
        messageCount: 2,
      },
    ]);
  });

  it("NOTIF-1: a timer that fires early is rescheduled for the due time and sends nothing", () => {
    const state = pending([m("m1")]);
    const step = nextNotificationStep(state, fired("b1"), ctx(delayMs - 1));
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([{ type: "reschedule", burstId: "b1", at: at(delayMs) }]);
  });

  it("NOTIF-1: a late timer still sends", () => {
    const step = nextNotificationStep(pending([m("m1")]), fired("b1"), ctx(delayMs * 10));
    expect(step.actions.map((a) => a.type)).toEqual(["send"]);
  });

  it("NOTIF-1: after a send the next message starts a new burst with a fresh id", () => {
    const { actions } = run([
      [0, posted(m("m1"))],
      [delayMs, fired("burst-at-0")],
      [delayMs + 5, posted(m("m2", "c1", 2))],
      [2 * delayMs, fired("burst-at-0")], // the old timer again: stale
      [2 * delayMs + 5, fired("burst-at-120005")],
    ]);
    expect(actions.map((a) => `${a.type}:${a.burstId}`)).toEqual([
      "schedule:burst-at-0",
      "send:burst-at-0",
      "schedule:burst-at-120005",
      "send:burst-at-120005",
    ]);
  });

  it("NOTIF-1: a timer of another burst is ignored while a burst is pending", () => {
    const state = pending([m("m1")]);
    const step = nextNotificationStep(state, fired("b0"), ctx(delayMs * 2));
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([]);
  });

  it("NOTIF-2: reading before the delay sends nothing", () => {
    const { state, actions } = run([
      [0, posted(m("m1", "c1", 1))],
      [1_000, posted(m("m2", "c1", 2))],
      [60_000, { type: "conversation.read", conversationId: "c1", upToSeq: 2 }],
      [delayMs, fired("burst-at-0")],
    ]);
    expect(state).toEqual(idle);
    expect(actions).toEqual([
      { type: "schedule", burstId: "burst-at-0", at: at(delayMs) },
      { type: "cancel", burstId: "burst-at-0" },
    ]);
  });

  it("NOTIF-2: reading one conversation keeps the unread messages of the others", () => {
    const step = nextNotificationStep(
      pending([m("m1", "c1", 1), m("m2", "c2", 1)]),
      { type: "conversation.read", conversationId: "c1", upToSeq: 1 },
      ctx(1_000),
    );
    expect(step.state).toEqual(pending([m("m2", "c2", 1)]));
    expect(step.actions).toEqual([]);
  });

  it("NOTIF-2: reading up to a sequence number keeps the later messages of that conversation", () => {
    const { state, actions } = run([
      [0, posted(m("m1", "c1", 1))],
      [1, posted(m("m2", "c1", 2))],
      [2, { type: "conversation.read", conversationId: "c1", upToSeq: 1 }],
      [delayMs, fired("burst-at-0")],
    ]);
    expect(state).toEqual(idle);
    expect(actions.at(-1)).toMatchObject({ type: "send", messageCount: 1 });
  });

  it("NOTIF-2: a read that covers none of the burst changes nothing", () => {
    const state = pending([m("m1", "c1", 5)]);
    const step = nextNotificationStep(
      state,
      { type: "conversation.read", conversationId: "c1", upToSeq: 4 },
      ctx(1),
    );
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([]);
  });

  it("DEL-4: deleting the only message cancels the burst and nothing is sent", () => {
    const { state, actions } = run([
      [0, posted(m("m1"))],
      [10, { type: "message.deleted", messageId: "m1" }],
      [delayMs, fired("burst-at-0")],
    ]);
    expect(state).toEqual(idle);
    expect(actions).toEqual([
      { type: "schedule", burstId: "burst-at-0", at: at(delayMs) },
      { type: "cancel", burstId: "burst-at-0" },
    ]);
  });

  it("DEL-4: deleting one of several messages keeps the burst for the others", () => {
    const step = nextNotificationStep(
      pending([m("m1"), m("m2", "c1", 2)]),
      { type: "message.deleted", messageId: "m1" },
      ctx(1),
    );
    expect(step.state).toEqual(pending([m("m2", "c1", 2)]));
    expect(step.actions).toEqual([]);
  });

  it("DEL-4: deleting a message the burst does not hold changes nothing", () => {
    const state = pending([m("m1")]);
    const step = nextNotificationStep(state, { type: "message.deleted", messageId: "other" }, ctx(1));
    expect(step.state).toBe(state);
    expect(step.actions).toEqual([]);
  });

  it("DEL-4: a damaged pending state without messages never sends", () => {
    const step = nextNotificationStep(pending([]), fired("b1"), ctx(delayMs));
    expect(step).toEqual({ state: idle, actions: [] });
  });

  it("NOTIF-3: a patient with SMS allowed gets email and SMS", () => {
    const step = nextNotificationStep(
      pending([m("m1")]),
      fired("b1"),
      ctx(delayMs, { clinic: { name: "Lakeside Clinic", smsNotificationsEnabled: true } }),
    );
    expect(step.actions).toMatchObject([{ type: "send", channels: ["email", "sms"] }]);
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
      pending([m("m1")]),
      fired("b1"),
      ctx(delayMs, { recipient: staff, clinic: { name: "X", smsNotificationsEnabled: true } }),
    );
    expect(step).toEqual({ state: idle, actions: [] });
  });

  it.each<NotificationEvent>([
    { type: "message.deleted", messageId: "m1" },
    { type: "conversation.read", conversationId: "c1", upToSeq: 99 },
    { type: "timer.fired", burstId: "b1" },
  ])("NOTIF-1: $type while idle changes nothing", (event) => {
    const step = nextNotificationStep(idle, event, ctx(delayMs * 3));
    expect(step.state).toBe(idle);
    expect(step.actions).toEqual([]);
  });

  it("NOTIF-6: the policy is deterministic and does not mutate its inputs", () => {
    const state = deepFreeze(pending([m("m1"), m("m2", "c2")]));
    const events: NotificationEvent[] = [
      posted(m("m3", "c3")),
      { type: "message.deleted", messageId: "m1" },
      { type: "conversation.read", conversationId: "c2", upToSeq: 1 },
      fired("b1"),
    ];
    for (const event of events) {
      const context = deepFreeze(ctx(delayMs));
      const first = nextNotificationStep(state, deepFreeze(event), context);
      expect(nextNotificationStep(state, event, context)).toEqual(first);
    }
    expect(state).toEqual(pending([m("m1"), m("m2", "c2")]));
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
