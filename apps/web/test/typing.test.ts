import * as domain from "@clinic-chat/domain";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  noteStoppedTyping,
  noteTyping,
  typingRepeatMs,
  typingSentence,
  typingShownMs,
  typistsOf,
} from "../src/chat/typing";

const doctor = { kind: "staff", id: "doctor" } as const;
const pat = { kind: "patient", id: "pat" } as const;

afterEach(() => {
  vi.useRealTimers();
});

describe("typing indicator in the browser (PRODUCT §8: a typing indicator, not stored)", () => {
  it("uses the domain's timings", () => {
    expect(typingRepeatMs).toBe(domain.typingRepeatMs);
    expect(typingShownMs).toBe(domain.typingShownMs);
  });

  it("shows a typist until a few seconds of silence, or until their message arrives", () => {
    vi.useFakeTimers();
    noteTyping("c1", doctor);
    noteTyping("c1", pat);
    expect(typistsOf("c1")).toEqual([doctor, pat]);
    expect(typistsOf("c2")).toEqual([]);
    noteStoppedTyping("c1", pat);
    expect(typistsOf("c1")).toEqual([doctor]);
    vi.advanceTimersByTime(typingShownMs - 100);
    expect(typistsOf("c1")).toEqual([doctor]);
    // Still typing: a repeat keeps it up past the first notice's time.
    noteTyping("c1", doctor);
    vi.advanceTimersByTime(typingShownMs - 100);
    expect(typistsOf("c1")).toEqual([doctor]);
    vi.advanceTimersByTime(200);
    expect(typistsOf("c1")).toEqual([]);
  });

  it("says who in words", () => {
    expect(typingSentence([])).toBeNull();
    expect(typingSentence(["Dora Doctor"])).toBe("Dora Doctor is typing…");
    expect(typingSentence(["Dora Doctor", "Nina Nurse"])).toBe("Dora Doctor and Nina Nurse are typing…");
    expect(typingSentence(["A", "B", "C"])).toBe("Several people are typing…");
  });
});
