import type { StaffMember, StaffRole } from "../people/people";
import { allow, type Decision, deny } from "../shared/Decision";

/** A pending staff invitation (ADMIN-2), as Clinic Settings › Team lists it. */
export interface StaffInvitation {
  readonly id: string;
  /** Normalised (trimmed, lower case). */
  readonly email: string;
  readonly role: StaffRole;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** A staff member as Clinic Settings › Team shows them. */
export interface TeamMember {
  readonly staff: StaffMember;
  /** When their latest session began; null when they never signed in. */
  readonly lastSignInAt: Date | null;
  /** True once they enrolled their second factor. */
  readonly secondFactor: boolean;
}

/** What an admin changes about a staff member (ADMIN-2). */
export type TeamChange =
  | { readonly kind: "role"; readonly role: StaffRole }
  | { readonly kind: "deactivate" }
  | { readonly kind: "reactivate" };

/**
 * ADMIN-2: may this change be made to `target`, given the whole staff? The last active admin
 * cannot be deactivated or demoted, so a clinic always has someone who can manage it.
 */
export function decideTeamChange(
  staff: readonly StaffMember[],
  target: StaffMember,
  change: TeamChange,
): Decision {
  const removesAdmin =
    target.active &&
    target.role === "admin" &&
    (change.kind === "deactivate" || (change.kind === "role" && change.role !== "admin"));
  if (!removesAdmin) return allow;
  const otherAdmins = staff.filter((s) => s.id !== target.id && s.active && s.role === "admin");
  return otherAdmins.length > 0 ? allow : deny("LAST_ACTIVE_ADMIN");
}

/** The member after the change (the decision above allowed it). */
export function applyTeamChange(target: StaffMember, change: TeamChange): StaffMember {
  switch (change.kind) {
    case "role":
      return { ...target, role: change.role };
    case "deactivate":
      return { ...target, active: false };
    case "reactivate":
      return { ...target, active: true };
  }
}
