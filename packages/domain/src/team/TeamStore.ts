import type { Sha256 } from "../auth/AuthStore";
import type { StaffRole } from "../people/people";
import type { StaffInvitation, TeamMember } from "./team";

/** A new staff invitation; the link's token is stored only as its digest. */
export interface NewStaffInvitation extends StaffInvitation {
  readonly tokenHash: Sha256;
}

/** An unused, unrevoked staff invitation as the pre-clinic look-up returns it. */
export interface StaffInvitationLookup {
  readonly clinicId: string;
  readonly invitationId: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly expiresAt: Date;
}

/** Clinic Settings › Team of the current clinic (ADMIN-2). */
export interface TeamStore {
  /** Every staff member, active and deactivated, by name. */
  members(): Promise<TeamMember[]>;
  /** The invitations not used nor revoked (expired ones included, so they can be resent), newest first. */
  invitations(): Promise<StaffInvitation[]>;
  /** One invitation not used nor revoked, or null. */
  invitation(id: string): Promise<StaffInvitation | null>;
  /** Stores the invitation; earlier unused invitations of the same email are revoked at its creation. */
  invite(invitation: NewStaffInvitation): Promise<void>;
  /** Gives a pending invitation a new link (the old one stops working); false when it is not pending. */
  resend(id: string, tokenHash: Sha256, expiresAt: Date): Promise<boolean>;
  /** Revokes a pending invitation; false when it is not pending. */
  revoke(id: string, at: Date): Promise<boolean>;
  /** Marks the invitation used; false when it was used, revoked, expired or is unknown here. */
  use(tokenHash: Sha256, at: Date): Promise<boolean>;
}
