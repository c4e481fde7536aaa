import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { checkHoldReason, type LegalHold } from "./LegalHold";

/** A legal hold as staff see it on the patient (REC-4): why, by whom and since when. */
export interface LegalHoldView {
  readonly patientId: string;
  readonly reason: string;
  readonly placedBy: { readonly id: string; readonly name: string };
  readonly placedAt: Date;
}

async function holdView(stores: Stores, hold: LegalHold): Promise<LegalHoldView> {
  const admin = await stores.directory.staffMember(hold.placedBy);
  return {
    patientId: hold.patientId,
    reason: hold.reason,
    placedBy: { id: hold.placedBy, name: admin?.name ?? "" },
    placedAt: hold.placedAt,
  };
}

async function patientOfClinic(stores: Stores, patientId: string): Promise<void> {
  if (!(await stores.directory.patient(patientId))) throw new DomainError("NOT_FOUND");
}

/**
 * REC-4: an admin places a legal hold on a patient, with a reason. Audited with ids only; the
 * reason stays on the hold. A patient already held keeps the hold they have (CONFLICT).
 */
export function placeLegalHold(
  deps: ChatDeps,
  actor: Actor,
  input: { patientId: string; reason: string },
): Promise<LegalHoldView> {
  return audited(deps, actor, "legal_hold.place", async (stores, targets) => {
    targets.subject = { kind: "patient", id: input.patientId };
    const admin = await loadActing(stores, actor, { as: "admin" });
    await patientOfClinic(stores, input.patientId);
    assertAllowed(checkHoldReason(input.reason));
    if (await stores.records.hold(input.patientId)) throw new DomainError("CONFLICT");
    const hold: LegalHold = {
      clinicId: actor.clinicId,
      patientId: input.patientId,
      reason: input.reason.trim(),
      placedBy: admin.id,
      placedAt: deps.clock.now(),
    };
    await stores.records.placeHold(hold);
    return holdView(stores, hold);
  });
}

/** REC-4: an admin lifts the hold on a patient; deletion and retention reach them again. Audited. */
export function liftLegalHold(deps: ChatDeps, actor: Actor, input: { patientId: string }): Promise<void> {
  return audited(deps, actor, "legal_hold.lift", async (stores, targets) => {
    targets.subject = { kind: "patient", id: input.patientId };
    await loadActing(stores, actor, { as: "admin" });
    await patientOfClinic(stores, input.patientId);
    if (!(await stores.records.hold(input.patientId))) throw new DomainError("NOT_FOUND");
    await stores.records.liftHold(input.patientId);
  });
}

/**
 * REC-4: the hold on a patient, for staff on the patient's file (null: none). Reading it is part
 * of reading the patient, which the patient file audits; this adds no record of its own.
 */
export async function legalHoldOf(
  deps: ChatDeps,
  actor: Actor,
  input: { patientId: string },
): Promise<LegalHoldView | null> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "staff" });
    await patientOfClinic(stores, input.patientId);
    const hold = await stores.records.hold(input.patientId);
    return hold ? holdView(stores, hold) : null;
  });
}
