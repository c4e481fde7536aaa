import type { ClinicAuthStores, PersonRef, Sha256 } from "@clinic-chat/domain";

/** Why a person's sessions were ended, as the audit trail's `session.ended` records say it. */
export type SessionEndReason = "signed_out_everywhere" | "password_reset" | "password_changed";

/**
 * Ends every live session of `person` but the one with the digest `except` (when given), and
 * gives each ended session its own `session.ended` record (SEC-3). Sessions that already ended
 * unseen are recorded as what ended them first. How many were ended.
 */
export async function endSessionsOf(
  stores: ClinicAuthStores,
  clinicId: string,
  person: PersonRef,
  at: Date,
  ip: string | null,
  reason: SessionEndReason,
  except?: Sha256,
): Promise<number> {
  await stores.sessions.endExpired(person, at);
  const ended = await stores.sessions.revokeAll(person, at, except);
  await stores.audit.appendAll(
    Array.from({ length: ended }, () => ({
      clinicId,
      actor: person,
      action: "session.ended" as const,
      reason,
      at,
      ip,
      outcome: "success" as const,
    })),
  );
  return ended;
}
