import { describe, expect, it } from "vitest";
import {
  mayAnnounceTyping,
  receivesTyping,
  type Subscriber,
  type TypingNotice,
  typingFloorMs,
  typingRepeatMs,
  typingShownMs,
  typingTooSoon,
} from "../../src/index";

const clinicId = "clinic-1";
const doctor = { kind: "staff", id: "doctor" } as const;
const nurse = { kind: "staff", id: "nurse" } as const;
const pat = { kind: "patient", id: "pat" } as const;

function subscriber(person: Subscriber["person"], membership: string[], seesChat = true): Subscriber {
  return { clinicId, person, membership: new Set(membership), seesChat };
}

const notice: TypingNotice = { clinicId, conversationId: "c1", person: doctor };

describe("typing indicator (PRODUCT §8 'Both apps': a typing indicator, not stored)", () => {
  it("ELIG-4: only a participant who sees chat may announce typing", () => {
    expect(mayAnnounceTyping(subscriber(doctor, ["c1"]), "c1")).toBeNull();
    expect(mayAnnounceTyping(subscriber(nurse, ["c2"]), "c1")).toBe("NOT_FOUND");
    // ENT-3: a patient whose clinic paused patient chat has no composer to type in.
    expect(mayAnnounceTyping(subscriber(pat, ["c1"], false), "c1")).toBe("NOT_FOUND");
  });

  it("ELIG-4: only the other participants of the conversation receive it, never the typist", () => {
    expect(receivesTyping(subscriber(pat, ["c1"]), notice)).toBe(true);
    expect(receivesTyping(subscriber(nurse, ["c2"]), notice)).toBe(false);
    expect(receivesTyping(subscriber(doctor, ["c1"]), notice)).toBe(false);
    expect(receivesTyping(subscriber(pat, ["c1"], false), notice)).toBe(false);
  });

  it("ELIG-5: nobody of another clinic receives it, whatever ids they share", () => {
    const elsewhere: Subscriber = { ...subscriber(pat, ["c1"]), clinicId: "clinic-2" };
    expect(receivesTyping(elsewhere, notice)).toBe(false);
  });

  it("a flood of notices is dropped; one per repeat interval passes; the indicator outlasts an interval", () => {
    expect(typingTooSoon(undefined, 1_000)).toBe(false);
    expect(typingTooSoon(1_000, 1_000 + typingFloorMs - 1)).toBe(true);
    expect(typingTooSoon(1_000, 1_000 + typingFloorMs)).toBe(false);
    expect(typingTooSoon(1_000, 1_000 + typingRepeatMs)).toBe(false);
    expect(typingFloorMs).toBeLessThan(typingRepeatMs);
    expect(typingShownMs).toBeGreaterThan(typingRepeatMs);
  });
});
