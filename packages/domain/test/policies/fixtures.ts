import {
  type Clinic,
  type ClinicSettings,
  type Conversation,
  defaultSettings,
  type Patient,
  type Person,
  type Plan,
  type StaffMember,
} from "../../src/index";

/** Plain values for the policy tests: one clinic ("c1") and a foreign one ("c2"). */
export const clinicId = "c1";
export const otherClinicId = "c2";

const epoch = new Date("2025-01-01T00:00:00Z");

/** A clinic of `plan` with every switch on, unless overridden. */
export function clinic(
  plan: Plan = "premium",
  settings: Partial<ClinicSettings> = {},
  id = clinicId,
): Clinic {
  return {
    id,
    name: `Clinic ${id}`,
    plan,
    timeZone: "UTC",
    settings: {
      ...defaultSettings(plan),
      patientChatEnabled: true,
      patientFileSharingEnabled: true,
      patientMessagingEnabled: true,
      teamChatEnabled: true,
      ...settings,
    },
  };
}

export function staff(overrides: Partial<StaffMember> = {}): StaffMember {
  return {
    id: "s1",
    clinicId,
    name: "Dr. Ada Lee",
    email: "lee@clinic.example",
    role: "practitioner",
    active: true,
    availableForPatientChat: true,
    emailNotifications: true,
    ...overrides,
  };
}

export function patient(overrides: Partial<Patient> = {}): Patient {
  return {
    id: "p1",
    clinicId,
    name: "Ana Ortiz",
    email: "ana@example.org",
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "active",
    ...overrides,
  };
}

export function asStaff(member: StaffMember): Person {
  return { kind: "staff", staff: member };
}

export function asPatient(p: Patient): Person {
  return { kind: "patient", patient: p };
}

export function patientConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: "conv-p1",
    clinicId,
    kind: "patient",
    patientId: "p1",
    key: "patient:p1",
    createdAt: epoch,
    lastActivityAt: epoch,
    lastSeq: 0,
    name: null,
    ...overrides,
  };
}

export function teamConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: "conv-team",
    clinicId,
    kind: "team",
    patientId: null,
    key: "team:s1,s2",
    createdAt: epoch,
    lastActivityAt: epoch,
    lastSeq: 0,
    name: null,
    ...overrides,
  };
}
