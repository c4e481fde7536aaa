import {
  type Clinic,
  defaultSettings,
  type Patient,
  type Plan,
  type StaffMember,
  type UnitOfWork,
} from "@clinic-chat/domain";
import type { Session } from "../../src/auth/session";
import { testUuid } from "./fakes";

/** Strings planted in PHI-bearing places; none may ever show up in an error body or a log line (SEC-5). */
export const phi = {
  patientName: "Ophelia Phimarker",
  patientMarker: "Phimarker",
  messageText: "PHI-TEXT-7f3a fasting glucose 212",
  textMarker: "PHI-TEXT-7f3a",
  fileName: "PHI-FILE-9c2d lab results.pdf",
  fileMarker: "PHI-FILE-9c2d",
} as const;

/** Every planted marker. */
export const phiMarkers = [phi.patientMarker, phi.textMarker, phi.fileMarker] as const;

function staff(
  clinicId: string,
  n: number,
  name: string,
  role: StaffMember["role"],
  extra: Partial<StaffMember> = {},
) {
  return {
    id: testUuid("5aff", n),
    clinicId,
    name,
    email: `staff${n}@clinic.test`,
    role,
    active: true,
    availableForPatientChat: true,
    emailNotifications: true,
    ...extra,
  } satisfies StaffMember;
}

function patient(clinicId: string, n: number, name: string, extra: Partial<Patient> = {}) {
  return {
    id: testUuid("9a71", n),
    clinicId,
    name,
    email: `patient${n}@mail.test`,
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "active",
    ...extra,
  } satisfies Patient;
}

/** One clinic of the test world: its people, and a session for each of them. */
function clinicPeople(clinicId: string, base: number) {
  const people = {
    admin: staff(clinicId, base + 1, "Ada Admin", "admin"),
    doctor: staff(clinicId, base + 2, "Dora Doctor", "practitioner"),
    awayDoctor: staff(clinicId, base + 3, "Walt Away", "practitioner", { availableForPatientChat: false }),
    nurse: staff(clinicId, base + 4, "Nina Nurse", "staff"),
    former: staff(clinicId, base + 5, "Fred Former", "staff", { active: false }),
    patient: patient(clinicId, base + 1, base === 0 ? phi.patientName : "Bert Bystander"),
    invited: patient(clinicId, base + 2, "Ivy Invited", { portalAccount: "invited" }),
  };
  const sessionOf = (person: StaffMember | Patient): Session =>
    "role" in person
      ? { clinicId, person: { kind: "staff", id: person.id }, role: person.role }
      : { clinicId, person: { kind: "patient", id: person.id } };
  return { clinicId, ...people, sessionOf };
}

/** The seeded world: two clinics (ELIG-5), each with an admin, two practitioners, a nurse, a former employee and patients. */
export type TestWorld = Awaited<ReturnType<typeof seedWorld>>;

/** Seeds two clinics on `plan` with patient chat switched on. */
export async function seedWorld(uow: UnitOfWork, plan: Plan = "premium") {
  const a = clinicPeople(testUuid("c1a0", 1), 0);
  const b = clinicPeople(testUuid("c1a0", 2), 100);
  for (const [clinic, name] of [
    [a, "Maple Clinic"],
    [b, "Birch Clinic"],
  ] as const) {
    const record: Clinic = {
      id: clinic.clinicId,
      name,
      plan,
      timeZone: "UTC",
      settings: { ...defaultSettings(plan), patientChatEnabled: true },
    };
    await uow.run(clinic.clinicId, async (stores) => {
      await stores.clinics.create(record);
      for (const s of [clinic.admin, clinic.doctor, clinic.awayDoctor, clinic.nurse, clinic.former])
        await stores.directory.saveStaff(s);
      for (const p of [clinic.patient, clinic.invited]) await stores.directory.savePatient(p);
    });
  }
  return { a, b };
}
