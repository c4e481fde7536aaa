import fc from "fast-check";
import { expect } from "vitest";
import { nextNotificationStep } from "../../src/notifications/coalescing";
import type {
  BurstLeaving,
  NotificationAction,
  NotificationCause,
  NotificationChannel,
  NotificationEvent,
  NotificationRecipient,
  NotificationState,
  PendingMessage,
} from "../../src/notifications/model";
import type { Clock } from "../../src/shared/ports";

/**
 * A simulated clinic around one recipient's coalescing policy: a fake clock, a timer queue that
 * can fire early, late or twice, a store of burst membership that follows the `NotificationStore`
 * contract and is fed only by the policy's `join` actions, and an independent reference model of
 * which messages are truly unread. Every step checks the policy and the store against that model;
 * the properties add the rule they are named after.
 */

/** A clock the test moves by hand (NOTIF-6). */
export class FakeClock implements Clock {
  constructor(private ms: number) {}
  /** The current simulated time. */
  now(): Date {
    return new Date(this.ms);
  }
  /** Moves time forward. */
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** The conversations messages are posted in. */
export const conversationIds = ["conv-a", "conv-b", "conv-c"] as const;

/** Strings that must never appear in a notification: they stand for PHI (NOTIF-4). */
export const phiMarker = "⟦";
/** The patient's name in the simulated world. */
export const patientName = `${phiMarker}patient Jane Roe⟧`;

/** One thing that happens in the simulated world. */
export type Op =
  | { readonly kind: "post"; readonly conv: number; readonly withFile: boolean }
  | { readonly kind: "repost" }
  | { readonly kind: "delete"; readonly pick: number }
  | { readonly kind: "read"; readonly conv: number; readonly back: number }
  | { readonly kind: "advance"; readonly ms: number }
  | { readonly kind: "fireEarly" }
  | { readonly kind: "fireStale"; readonly pick: number };

const convArb = fc.nat({ max: conversationIds.length - 1 });

/** Ops that never post a message. */
export const quietOpArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("delete"), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("read"), conv: convArb, back: fc.nat({ max: 3 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant("advance"),
      ms: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 1_500_000 })),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant("fireEarly") }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("fireStale"), pick: fc.nat() }), weight: 1 },
) as fc.Arbitrary<Op>;

/** Any op, posts included. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("post"), conv: convArb, withFile: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("repost") }), weight: 1 },
  { arbitrary: quietOpArb, weight: 8 },
) as fc.Arbitrary<Op>;

/** The fixed facts of one simulated run. */
export interface World {
  readonly delayMs: number;
  readonly startMs: number;
  readonly clinic: { readonly name: string; readonly smsNotificationsEnabled: boolean };
  readonly recipient: NotificationRecipient;
  readonly signInUrl: string;
}

/** A recipient of either kind, with every combination of the NOTIF-3 facts. */
export const recipientArb: fc.Arbitrary<NotificationRecipient> = fc
  .record({
    kind: fc.constantFrom("staff" as const, "patient" as const),
    hasEmail: fc.boolean(),
    hasMobile: fc.boolean(),
    smsConsent: fc.boolean(),
    emailNotifications: fc.boolean(),
  })
  .map(({ kind, hasEmail, hasMobile, smsConsent, emailNotifications }) => ({
    person: { kind, id: `${kind}-1` },
    // A patient's address often carries their name: it must not leak into the payload either.
    email: hasEmail ? (kind === "patient" ? `${patientName}@example.org` : "staff-1@clinic.example") : null,
    mobilePhone: hasMobile ? "+15550100" : null,
    smsConsent,
    emailNotifications,
  }));

/** A whole world; clinic names are printable ASCII so they can never contain a PHI marker. */
export const worldArb: fc.Arbitrary<World> = fc.record({
  delayMs: fc.oneof(fc.constant(120_000), fc.integer({ min: 0, max: 600_000 })),
  startMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
  clinic: fc.record({
    name: fc.string({ unit: "grapheme-ascii", maxLength: 30 }),
    smsNotificationsEnabled: fc.boolean(),
  }),
  recipient: recipientArb,
  signInUrl: fc.webUrl(),
});

/** NOTIF-3 written out independently of the code under test. */
export function expectedChannels(world: World): NotificationChannel[] {
  const r = world.recipient;
  const patient = r.person.kind === "patient";
  const email = r.email !== null && (patient || r.emailNotifications);
  const sms = patient && world.clinic.smsNotificationsEnabled && r.mobilePhone !== null && r.smsConsent;
  return [...(email ? ["email" as const] : []), ...(sms ? ["sms" as const] : [])];
}

interface WorldMessage {
  readonly messageId: string;
  readonly conversationId: string;
  readonly seq: number;
  /** Stand-ins for PHI that exists in the world but must never reach a notification. */
  readonly text: string;
  readonly fileName: string | null;
  deleted: boolean;
}

interface Burst {
  readonly burstId: string;
  readonly startedAtMs: number;
  readonly messageIds: Set<string>;
  end: "sent" | "cancelled" | "silent" | null;
}

/** A message the simulated store holds, with the burst it joined (as `joinBurst` keeps it). */
export interface StoredBurstMessage extends PendingMessage {
  readonly burstId: string;
}

/** What the simulated world tells the policy: a use case's cause, or the queue's timer. */
type SimCause = NotificationCause | { readonly type: "timer.fired"; readonly burstId: string };

/** An action with the simulated time it was emitted at. */
export interface LoggedAction {
  readonly atMs: number;
  readonly action: NotificationAction;
}

/** Drives the policy through a world and checks it against the reference model after every step. */
export class Simulation {
  readonly clock: FakeClock;
  state: NotificationState = { status: "idle" };
  /** Timer jobs in the queue that have neither fired nor been cancelled, by burst id. */
  readonly queued = new Map<string, number>();
  /** Burst ids whose timers were cancelled or consumed: a queue may still fire them. */
  readonly spentTimers: string[] = [];
  readonly messages: WorldMessage[] = [];
  readonly bursts: Burst[] = [];
  readonly log: LoggedAction[] = [];
  readonly events: NotificationEvent[] = [];
  /**
   * The store's burst membership, by message id: filled only by the policy's `join` actions (a
   * message held already is ignored), shrunk as `leaveBurst` does, cleared when idle is saved.
   */
  readonly store = new Map<string, StoredBurstMessage>();
  private readonly readUpTo = new Map<string, number>();
  private readonly lastSeq = new Map<string, number>();
  private idCounter = 0;

  constructor(readonly world: World) {
    this.clock = new FakeClock(world.startMs);
  }

  /** Send actions emitted so far. */
  get sends(): Extract<NotificationAction, { type: "send" }>[] {
    return this.log.flatMap(({ action }) => (action.type === "send" ? [action] : []));
  }

  /** True while the message exists and the recipient has not read it. */
  isUnread(m: WorldMessage): boolean {
    return !m.deleted && m.seq > (this.readUpTo.get(m.conversationId) ?? 0);
  }

  /** The PHI stand-ins of the world so far. */
  phi(): string[] {
    return [patientName, ...this.messages.flatMap((m) => (m.fileName ? [m.text, m.fileName] : [m.text]))];
  }

  /** Applies every op in order. */
  run(ops: readonly Op[]): this {
    for (const op of ops) this.apply(op);
    return this;
  }

  /** Applies one op of the world. */
  apply(op: Op): void {
    switch (op.kind) {
      case "post":
        this.post(conversationIds[op.conv] ?? "conv-a", op.withFile);
        return;
      case "repost": {
        // An at-least-once event bus may deliver a post twice while it is still unread.
        const last = this.messages.at(-1);
        if (last && this.isUnread(last)) this.postEvent(last);
        return;
      }
      case "delete": {
        const m = this.messages[op.pick % Math.max(1, this.messages.length)];
        if (!m) return;
        m.deleted = true; // deleting twice sends the event twice, which the policy must shrug off
        this.step({ type: "message.deleted", messageId: m.messageId });
        return;
      }
      case "read": {
        const conversationId = conversationIds[op.conv] ?? "conv-a";
        this.read(conversationId, (this.lastSeq.get(conversationId) ?? 0) - op.back);
        return;
      }
      case "advance":
        this.clock.advance(op.ms);
        this.fireDue();
        return;
      case "fireEarly": {
        const [queued] = this.queued.keys();
        if (queued !== undefined) this.fire(queued);
        return;
      }
      case "fireStale": {
        // A cancelled or consumed timer that the queue delivers anyway, or an id never issued.
        const stale = this.spentTimers.filter((id) => !this.queued.has(id));
        const spent = stale[op.pick % Math.max(1, stale.length)];
        this.step({ type: "timer.fired", burstId: op.pick % 2 === 0 && spent ? spent : `nope-${op.pick}` });
        return;
      }
    }
  }

  /** Posts a new message with PHI stand-ins for its text and file name. */
  post(conversationId: string, withFile: boolean): void {
    const seq = (this.lastSeq.get(conversationId) ?? 0) + 1;
    this.lastSeq.set(conversationId, seq);
    const n = this.messages.length + 1;
    const message: WorldMessage = {
      messageId: `msg-${n}`,
      conversationId,
      seq,
      text: `${phiMarker}text ${n}: my test results⟧`,
      fileName: withFile ? `${phiMarker}scan-${n}-jane-roe.pdf⟧` : null,
      deleted: false,
    };
    this.messages.push(message);
    this.postEvent(message);
  }

  /** The recipient reads a conversation up to a sequence number. */
  read(conversationId: string, upToSeq: number): void {
    this.readUpTo.set(conversationId, Math.max(upToSeq, this.readUpTo.get(conversationId) ?? 0));
    this.step({ type: "conversation.read", conversationId, upToSeq });
  }

  /** The recipient reads everything there is. */
  readAll(): void {
    for (const c of conversationIds) this.read(c, this.lastSeq.get(c) ?? 0);
  }

  /** Every message is deleted. */
  deleteAll(): void {
    for (const m of this.messages) {
      m.deleted = true;
      this.step({ type: "message.deleted", messageId: m.messageId });
    }
  }

  /** Lets time pass until every queued timer has fired. */
  drain(): void {
    this.clock.advance(this.world.delayMs + 1);
    this.fireDue();
  }

  private postEvent(m: WorldMessage): void {
    // Only ids and ordering reach the policy, never the text or the file name.
    this.step({
      type: "message.posted",
      message: { messageId: m.messageId, conversationId: m.conversationId, seq: m.seq },
    });
  }

  private fireDue(): void {
    for (const [burstId, atMs] of [...this.queued])
      if (atMs <= this.clock.now().getTime()) this.fire(burstId);
  }

  /** The queue hands the job over (it is consumed) and the policy decides. */
  private fire(burstId: string): void {
    this.queued.delete(burstId);
    this.spentTimers.push(burstId);
    this.step({ type: "timer.fired", burstId });
  }

  /** What the store would answer for this cause, as `notifyReserved` and the timer job ask it. */
  private withStoreFacts(cause: SimCause): NotificationEvent {
    const before = this.state;
    const burstId = before.status === "pending" ? before.burstId : null;
    switch (cause.type) {
      case "message.posted":
        return cause;
      case "timer.fired":
        return {
          ...cause,
          messageCount: burstId === cause.burstId ? this.storedIn(cause.burstId).length : 0,
          conversationIds:
            burstId === cause.burstId
              ? [...new Set(this.storedIn(cause.burstId).map((m) => m.conversationId))]
              : [],
        };
      case "message.deleted":
        return {
          ...cause,
          remaining: burstId ? this.leaveBurst(burstId, { messageId: cause.messageId }) : 0,
        };
      case "conversation.read":
        return {
          ...cause,
          remaining: burstId
            ? this.leaveBurst(burstId, { conversationId: cause.conversationId, upToSeq: cause.upToSeq })
            : 0,
        };
    }
  }

  /** `NotificationStore.leaveBurst`: drops the burst's messages that `leaving` names; answers how many remain. */
  private leaveBurst(burstId: string, leaving: BurstLeaving): number {
    for (const [id, m] of this.store) {
      const leaves =
        "messageId" in leaving
          ? id === leaving.messageId
          : m.conversationId === leaving.conversationId && m.seq <= leaving.upToSeq;
      if (leaves && m.burstId === burstId) this.store.delete(id);
    }
    return this.storedIn(burstId).length;
  }

  /** The stored messages of a burst (`NotificationStore.burstSize` counts them). */
  storedIn(burstId: string): StoredBurstMessage[] {
    return [...this.store.values()].filter((m) => m.burstId === burstId);
  }

  private step(cause: SimCause): void {
    const nowMs = this.clock.now().getTime();
    const before = this.state;
    const event = this.withStoreFacts(cause);
    const { state, actions } = nextNotificationStep(before, event, {
      now: this.clock.now(),
      delayMs: this.world.delayMs,
      nextBurstId: `burst-${++this.idCounter}`,
      clinic: this.world.clinic,
      recipient: this.world.recipient,
      signInUrl: this.world.signInUrl,
    });
    this.events.push(event);
    this.state = state;
    // `saveState(idle)` forgets the burst's messages; it is saved before the actions run.
    if (state !== before && state.status === "idle") this.store.clear();

    if (before.status === "idle" && state.status === "pending") {
      expect(event.type).toBe("message.posted");
      expect(this.bursts.some((b) => b.burstId === state.burstId)).toBe(false);
      this.bursts.push({ burstId: state.burstId, startedAtMs: nowMs, messageIds: new Set(), end: null });
    }
    const burst = this.bursts.at(-1);
    if (event.type === "message.posted" && state.status === "pending")
      burst?.messageIds.add(event.message.messageId);

    // NOTIF-1: every posted message joins the burst, once per event; nothing else joins.
    const joins = actions.filter((a) => a.type === "join");
    expect(joins).toHaveLength(event.type === "message.posted" ? 1 : 0);
    for (const action of actions) {
      this.log.push({ atMs: nowMs, action });
      this.applyToQueue(action, burst, nowMs, event);
    }
    if (before.status === "pending" && state.status === "idle" && burst && burst.end === null) {
      // Ended without a send or a cancel: only allowed when no channel applies (NOTIF-3).
      expect(event).toMatchObject({ type: "timer.fired", burstId: burst.burstId });
      expect(expectedChannels(this.world)).toEqual([]);
      burst.end = "silent";
    }
    this.checkInvariants(burst);
  }

  private applyToQueue(
    action: NotificationAction,
    burst: Burst | undefined,
    nowMs: number,
    event: NotificationEvent,
  ): void {
    switch (action.type) {
      case "join":
        // The posted message joins the burst the recipient is now in (the store carries it out).
        expect(event.type === "message.posted" && event.message).toEqual(action.message);
        expect(this.state).toMatchObject({ status: "pending", burstId: action.burstId });
        expect(burst?.burstId).toBe(action.burstId);
        if (!this.store.has(action.message.messageId))
          this.store.set(action.message.messageId, { ...action.message, burstId: action.burstId });
        return;
      case "schedule":
      case "reschedule":
        // At most one timer per recipient: a new one only once the previous is gone.
        expect(this.queued.size).toBe(0);
        this.queued.set(action.burstId, action.at.getTime());
        return;
      case "cancel":
        expect(this.queued.has(action.burstId)).toBe(true);
        this.queued.delete(action.burstId);
        this.spentTimers.push(action.burstId);
        expect(burst?.burstId).toBe(action.burstId);
        // NOTIF-2, DEL-4: a burst is cancelled exactly when nothing in it is unread any more.
        expect(this.unreadIn(burst)).toEqual([]);
        if (burst) burst.end = "cancelled";
        return;
      case "send":
        expect(burst?.burstId).toBe(action.burstId);
        expect(burst?.end).toBeNull();
        // NOTIF-1: never before the delay that the first message started.
        expect(nowMs).toBeGreaterThanOrEqual((burst?.startedAtMs ?? Number.NaN) + this.world.delayMs);
        // NOTIF-2, DEL-4: only about messages still unread, and counting exactly those.
        expect(action.messageCount).toBe(this.unreadIn(burst).length);
        expect(action.messageCount).toBeGreaterThan(0);
        expect(action.channels).toEqual(expectedChannels(this.world));
        if (burst) burst.end = "sent";
        return;
    }
  }

  private unreadIn(burst: Burst | undefined): string[] {
    if (!burst) return [];
    return this.messages
      .filter((m) => burst.messageIds.has(m.messageId) && this.isUnread(m))
      .map((m) => m.messageId);
  }

  private checkInvariants(burst: Burst | undefined): void {
    expect(this.queued.size).toBeLessThanOrEqual(1);
    if (this.state.status === "idle") {
      // An idle recipient has no timer left that could later send something, and the store
      // holds no message for it.
      expect([...this.queued.keys()]).toEqual([]);
      expect([...this.store.keys()]).toEqual([]);
      return;
    }
    // A pending burst always has its timer queued, at its due time, so it cannot get stuck.
    expect([...this.queued]).toEqual([[this.state.burstId, this.state.dueAt.getTime()]]);
    expect(burst?.burstId).toBe(this.state.burstId);
    expect(this.state.dueAt.getTime()).toBe((burst?.startedAtMs ?? Number.NaN) + this.world.delayMs);
    // The store holds exactly the messages of the reference model's burst that are still unread,
    // each once, all of the current burst, with the ids and order the post carried.
    const stored = [...this.store.values()];
    expect(this.storedIn(this.state.burstId)).toEqual(stored);
    expect(stored.map((m) => m.messageId).sort()).toEqual(this.unreadIn(burst).sort());
    for (const m of stored) {
      const posted = this.messages.find((w) => w.messageId === m.messageId);
      expect({ conversationId: m.conversationId, seq: m.seq }).toEqual({
        conversationId: posted?.conversationId,
        seq: posted?.seq,
      });
    }
  }
}
