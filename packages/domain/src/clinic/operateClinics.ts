import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { type Clinic, defaultSettings, isTimeZone, type Plan, plans } from "./Clinic";
import { loadClinic } from "./loadClinic";

/** What the operator gives for a new clinic (ADMIN-1). */
export interface NewClinic {
  readonly name: string;
  readonly plan: Plan;
  readonly timeZone: string;
}

/** The longest clinic name, in characters. */
export const clinicNameMaxLength = 200;

/** Why a clinic name cannot be used, in words for the operator; null when it can. */
export function clinicNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return "is empty";
  if ([...trimmed].length > clinicNameMaxLength) return `is longer than ${clinicNameMaxLength} characters`;
  // Shown in emails' subjects and headers: one line of printable characters.
  if (/[\p{Cc}\p{Cs}]/u.test(trimmed)) return "holds a control character";
  return null;
}

/**
 * ADMIN-1: the operator creates a clinic with its plan's default settings, in its time zone.
 * Audited in the new clinic with no acting person (the operator signs in nowhere).
 */
export async function createClinic(
  deps: Pick<ChatDeps, "uow" | "ids" | "clock">,
  input: NewClinic,
): Promise<Clinic> {
  if (clinicNameProblem(input.name) !== null) throw new DomainError("INVALID_INPUT", "clinic name");
  if (!plans.includes(input.plan)) throw new DomainError("INVALID_INPUT", "plan");
  if (!isTimeZone(input.timeZone)) throw new DomainError("INVALID_INPUT", "time zone");
  const clinic: Clinic = {
    id: deps.ids.newId(),
    name: input.name.trim(),
    plan: input.plan,
    timeZone: input.timeZone,
    settings: defaultSettings(input.plan),
  };
  await deps.uow.run(clinic.id, async (stores) => {
    await stores.clinics.create(clinic);
    await stores.audit.append({
      clinicId: clinic.id,
      actor: null,
      action: "clinic.create",
      at: deps.clock.now(),
      ip: null,
      outcome: "success",
    });
  });
  return clinic;
}

/** ADMIN-1: the operator changes a clinic's plan (billing lives outside); its settings stay (ENT-3). */
export async function setClinicPlan(
  deps: Pick<ChatDeps, "uow" | "clock">,
  input: { readonly clinicId: string; readonly plan: Plan },
): Promise<Clinic> {
  if (!plans.includes(input.plan)) throw new DomainError("INVALID_INPUT", "plan");
  return deps.uow.run(input.clinicId, async (stores) => {
    const clinic = await loadClinic(stores, input.clinicId);
    await stores.clinics.savePlan(clinic.id, input.plan);
    await stores.audit.append({
      clinicId: clinic.id,
      actor: null,
      action: "clinic.plan_change",
      at: deps.clock.now(),
      ip: null,
      outcome: "success",
    });
    return { ...clinic, plan: input.plan };
  });
}
