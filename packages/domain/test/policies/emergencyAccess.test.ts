import { describe, expect, it } from "vitest";
import { canReadConversation } from "../../src/chat/eligibility";
import { emergencyReasonOf, holdsEmergencyAccess } from "../../src/emergency/EmergencyAccess";
import type { Person } from "../../src/people/Person";
import type { StaffMember } from "../../src/people/people";

const staffMember = (role: StaffMember["role"], active = true): Person => ({
  kind: "staff",
  staff: {
    id: "s-1",
    clinicId: "c-1",
    name: "Ada",
    email: "ada@clinic.test",
    role,
    active,
    availableForPatientChat: true,
    emailNotifications: true,
  },
});
const until = new Date("2030-01-01T10:00:00Z");
const before = new Date("2030-01-01T09:59:59.999Z");

describe("REC-7 the emergency access rule", () => {
  it("REC-7: an admin who may act holds it until, not at, the end of the hour", () => {
    expect(holdsEmergencyAccess(staffMember("admin"), until, before)).toBe(true);
    expect(holdsEmergencyAccess(staffMember("admin"), until, until)).toBe(false);
    expect(holdsEmergencyAccess(staffMember("admin"), null, before)).toBe(false);
    expect(holdsEmergencyAccess(staffMember("practitioner"), until, before)).toBe(false);
    expect(holdsEmergencyAccess(staffMember("admin", false), until, before)).toBe(false);
  });

  it("REC-7 ELIG-5: the grant opens only a conversation of the reader's clinic", () => {
    const conversation = {
      id: "conv-1",
      clinicId: "c-1",
      kind: "patient" as const,
      patientId: "p-1",
      key: "patient:p-1",
      createdAt: before,
      lastActivityAt: before,
      lastSeq: 0,
      name: null,
    };
    expect(canReadConversation(conversation, staffMember("admin"), false, true).allowed).toBe(true);
    expect(canReadConversation(conversation, staffMember("admin"), false, false)).toEqual({
      allowed: false,
      reason: "NOT_FOUND",
    });
    expect(
      canReadConversation({ ...conversation, clinicId: "c-2" }, staffMember("admin"), false, true),
    ).toEqual({
      allowed: false,
      reason: "NOT_FOUND",
    });
  });

  it("REC-7: a reason is required, trimmed, at most 1,000 characters, without control characters", () => {
    expect(emergencyReasonOf("  Chest pain\nat home  ")).toEqual({ ok: true, reason: "Chest pain\nat home" });
    expect(emergencyReasonOf(" \n ").ok).toBe(false);
    expect(emergencyReasonOf("a\u0000b").ok).toBe(false);
    expect(emergencyReasonOf("x".repeat(1000)).ok).toBe(true);
    expect(emergencyReasonOf("x".repeat(1001)).ok).toBe(false);
  });
});
