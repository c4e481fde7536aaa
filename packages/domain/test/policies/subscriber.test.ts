import { describe, expect, it } from "vitest";
import type { ConversationEvent, ConversationEventType } from "../../src/chat/ConversationEvent";
import {
  canSeeEvent,
  endsSubscription,
  mayConcern,
  type Subscriber,
  seenEvents,
  standingOf,
  unknownNewConversations,
} from "../../src/live/subscriberPolicy";
import type { PersonRef } from "../../src/people/people";
import { asPatient, asStaff, clinic, clinicId, otherClinicId, patient, staff } from "./fixtures";

const me: PersonRef = { kind: "patient", id: "p1" };
const other: PersonRef = { kind: "staff", id: "s1" };
let nextId = 1;

function event(
  type: ConversationEventType,
  conversationId: string | null,
  overrides: Partial<ConversationEvent> = {},
): ConversationEvent {
  return {
    id: nextId++,
    clinicId,
    conversationId,
    type,
    messageId: type === "message.posted" || type === "message.deleted" ? `m${nextId}` : null,
    person: other,
    seq: null,
    at: new Date("2025-01-01T00:00:00Z"),
    ...overrides,
  };
}

function subscriber(membership: string[] = ["mine"], seesChat = true): Subscriber {
  return { clinicId, person: me, membership: new Set(membership), seesChat };
}

describe("a live subscriber's standing", () => {
  it("ELIG-6: active staff and patients with an active portal account may receive; staff always see chat", () => {
    expect(standingOf(clinic(), asStaff(staff()))).toEqual({ allowed: true, seesChat: true });
    expect(standingOf(clinic(), asPatient(patient()))).toEqual({ allowed: true, seesChat: true });
  });

  it("ELIG-6: a deactivated staff member or a portal account that is not active may no longer receive", () => {
    expect(standingOf(clinic(), asStaff(staff({ active: false })))).toEqual({
      allowed: false,
      reason: "STAFF_INACTIVE",
    });
    for (const portalAccount of ["disabled", "invited", "none"] as const)
      expect(standingOf(clinic(), asPatient(patient({ portalAccount })))).toEqual({
        allowed: false,
        reason: "PATIENT_PORTAL_INACTIVE",
      });
    expect([...endsSubscription].sort()).toEqual(["PATIENT_PORTAL_INACTIVE", "STAFF_INACTIVE"]);
  });

  it("ENT-3 ENT-4: while patient chat is paused a patient keeps their conversations' events, as staff do", () => {
    const paused = clinic("premium", { patientChatEnabled: false });
    expect(standingOf(paused, asPatient(patient()))).toEqual({ allowed: true, seesChat: true });
    expect(standingOf(paused, asStaff(staff()))).toEqual({ allowed: true, seesChat: true });
  });

  it("ELIG-5: a person or clinic no longer known is NOT_FOUND", () => {
    expect(standingOf(null, asStaff(staff()))).toEqual({ allowed: false, reason: "NOT_FOUND" });
    expect(standingOf(clinic(), null)).toEqual({ allowed: false, reason: "NOT_FOUND" });
  });
});

describe("what a live subscriber sees", () => {
  it("ELIG-4: a conversation's events only for its participants; clinic-wide events for everyone of the clinic", () => {
    const s = subscriber(["mine"]);
    expect(canSeeEvent(s, event("message.posted", "mine"))).toBe(true);
    expect(canSeeEvent(s, event("message.posted", "theirs"))).toBe(false);
    expect(canSeeEvent(s, event("conversation.read", "theirs", { person: me }))).toBe(false);
    expect(canSeeEvent(s, event("clinic.entitlements_changed", null))).toBe(true);
  });

  it("ELIG-5: nothing of another clinic, not even its clinic-wide events or a conversation id they know", () => {
    const s = subscriber(["mine"]);
    expect(canSeeEvent(s, event("clinic.entitlements_changed", null, { clinicId: otherClinicId }))).toBe(
      false,
    );
    expect(canSeeEvent(s, event("message.posted", "mine", { clinicId: otherClinicId }))).toBe(false);
    expect(mayConcern(s, event("conversation.created", "new", { clinicId: otherClinicId }))).toBe(false);
    expect(
      unknownNewConversations(s, [event("conversation.created", "new", { clinicId: otherClinicId })]),
    ).toEqual([]);
  });

  it("ENT-3: a subscriber who does not see chat gets the clinic-wide events only, and joins nothing", () => {
    const s = subscriber(["mine"], false);
    const events = [
      event("message.posted", "mine"),
      event("participant.added", "new", { person: me }),
      event("clinic.entitlements_changed", null),
    ];
    const seen = seenEvents(s, events);
    expect(seen.visible.map((e) => e.type)).toEqual(["clinic.entitlements_changed"]);
    expect(seen.joined).toEqual([]);
  });

  it("ELIG-4: their own participant.added lets the conversation's later events through; someone else's does not", () => {
    const s = subscriber([]);
    const before = event("message.posted", "c2");
    const someoneElse = event("participant.added", "c3", { person: other });
    const added = event("participant.added", "c2", { person: me });
    const after = event("message.posted", "c2");
    const seen = seenEvents(s, [before, someoneElse, added, after]);
    expect(seen.visible).toEqual([added, after]);
    expect(seen.joined).toEqual(["c2"]);
    expect(s.membership.size).toBe(0);
  });

  it("ELIG-4: a new conversation is seen only when the store says they take part in it", () => {
    const s = subscriber([]);
    const created = event("conversation.created", "c4");
    const notMine = event("conversation.created", "c5");
    expect(mayConcern(s, created)).toBe(true);
    expect(unknownNewConversations(s, [created, notMine, created])).toEqual(["c4", "c5"]);
    const seen = seenEvents(s, [created, notMine], new Set(["c4"]));
    expect(seen.visible).toEqual([created]);
    expect(seen.joined).toEqual(["c4"]);
  });

  it("ELIG-4: without a query, events of conversations they are not in do not concern them", () => {
    const s = subscriber(["mine"]);
    expect(mayConcern(s, event("message.posted", "theirs"))).toBe(false);
    expect(mayConcern(s, event("participant.added", "theirs", { person: other }))).toBe(false);
    expect(mayConcern(s, event("participant.added", "theirs", { person: me }))).toBe(true);
    expect(mayConcern(s, event("message.deleted", "mine"))).toBe(true);
  });
});
