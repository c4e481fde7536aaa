import type { HostStaffRole } from "@clinic-chat/domain/integration";
import type { FhirPractitionerRoleInput } from "./schemas";

/** Clinic Chat's own codes for a staff member's role, the same words as the staff-role extension. */
export const staffRoleSystem = "https://clinic-chat.app/fhir/CodeSystem/staff-role";

/** HL7's practitioner-role codes (http://terminology.hl7.org/CodeSystem/practitioner-role). */
export const hl7PractitionerRoleSystem = "http://terminology.hl7.org/CodeSystem/practitioner-role";

/**
 * How a PractitionerRole's code becomes a role in the clinic (INTEG-2): a doctor sees patients
 * (appointments, the chat icon), everyone else HL7 names works beside them as staff.
 */
const roleOfCode: Readonly<Record<string, Readonly<Record<string, HostStaffRole>>>> = {
  [staffRoleSystem]: { practitioner: "practitioner", staff: "staff" },
  [hl7PractitionerRoleSystem]: {
    doctor: "practitioner",
    nurse: "staff",
    pharmacist: "staff",
    researcher: "staff",
    teacher: "staff",
    ict: "staff",
  },
};

/**
 * The role a PractitionerRole's `code` names: the first coding of a known system with a known
 * code; null when none is known. Where the two say different things, `practitioner` wins: a
 * doctor who also teaches sees patients.
 */
export function staffRoleOf(codes: FhirPractitionerRoleInput["code"]): HostStaffRole | null {
  const roles = codes.flatMap((concept) =>
    (concept.coding ?? []).flatMap((coding) => {
      const role = coding.system && coding.code ? roleOfCode[coding.system]?.[coding.code] : undefined;
      return role ? [role] : [];
    }),
  );
  if (roles.includes("practitioner")) return "practitioner";
  return roles[0] ?? null;
}
