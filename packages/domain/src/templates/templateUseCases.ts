import { loadConversationFor } from "../chat/loadConversation";
import { loadActing } from "../people/loadPerson";
import type { Actor, StaffMember } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { type FilledTemplate, fillTemplate, placeholderValues, unknownPlaceholders } from "./placeholders";
import { type Template, type TemplateScope, templateLimits } from "./Template";

/** A template as staff see it in a list or the picker (TPL-1). */
export interface TemplateView {
  readonly id: string;
  readonly scope: TemplateScope;
  readonly name: string;
  readonly text: string;
  /** True when the viewer may change it: their own, or the clinic's for an admin. */
  readonly editable: boolean;
}

/** A template as it is kept; `templateId` absent for a new one. */
export interface TemplateInput {
  readonly templateId?: string | null;
  readonly scope: TemplateScope;
  readonly name: string;
  readonly text: string;
}

/** The clinic's templates and the staff member's own (TPL-1), by name. */
export async function listTemplates(deps: ChatDeps, actor: Actor): Promise<TemplateView[]> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    const staff = await loadActing(stores, actor, { as: "staff" });
    const templates = await stores.templates.listFor(staff.id);
    return templates.map((t) => templateView(t, staff));
  });
}

/**
 * Keeps a template (TPL-1): the clinic's by an admin (Clinic Settings › Templates), one's own by
 * any staff member (My Account › Templates). The name and text must not be blank, within
 * {@link templateLimits}, and every placeholder from the fixed list.
 */
export async function saveTemplate(
  deps: ChatDeps,
  actor: Actor,
  input: TemplateInput,
): Promise<TemplateView> {
  const name = input.name.trim().replace(/\s+/g, " ");
  const text = input.text.trim();
  if (name.length === 0 || [...name].length > templateLimits.nameMaxLength) {
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "name" });
  }
  if (text.length === 0 || [...text].length > templateLimits.textMaxLength) {
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "text" });
  }
  const unknown = unknownPlaceholders(text);
  if (unknown.length > 0) {
    // The name of a placeholder is the template's own wording, not PHI: the author sees which one.
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "text", placeholder: unknown[0]! });
  }
  return audited(deps, actor, "template.save", async (stores) => {
    const staff = await loadActing(stores, actor, { as: input.scope === "clinic" ? "admin" : "staff" });
    const ownerId = input.scope === "clinic" ? null : staff.id;
    let id = input.templateId ?? null;
    if (id) {
      const stored = await stores.templates.get(id);
      if (!stored || !mayChange(stored, staff) || stored.scope !== input.scope)
        throw new DomainError("NOT_FOUND");
    } else {
      const mine = (await stores.templates.listFor(staff.id)).filter((t) => t.scope === input.scope);
      if (mine.length >= templateLimits.perOwner) {
        throw new DomainError("INVALID_INPUT", "INVALID_INPUT", {
          field: "templates",
          max: templateLimits.perOwner,
        });
      }
      id = deps.ids.newId();
    }
    const template: Template = {
      id,
      clinicId: actor.clinicId,
      scope: input.scope,
      ownerId,
      name,
      text,
      updatedAt: deps.clock.now(),
    };
    await stores.templates.save(template);
    return templateView(template, staff);
  });
}

/** Deletes a template its viewer may change (TPL-1). */
export async function deleteTemplate(
  deps: ChatDeps,
  actor: Actor,
  input: { templateId: string },
): Promise<void> {
  await audited(deps, actor, "template.delete", async (stores) => {
    const staff = await loadActing(stores, actor, { as: "staff" });
    const stored = await stores.templates.get(input.templateId);
    if (!stored || !mayChange(stored, staff)) throw new DomainError("NOT_FOUND");
    await stores.templates.remove(stored.id);
  });
}

/**
 * A template filled in for a conversation the staff member is in (TPL-1): from its patient, the
 * author, the clinic and the patient's next appointment (on the clinic's wall clock). A value
 * that is missing stays marked. The answer is PHI: audited as a read of the conversation's
 * patient, and never logged.
 */
export async function fillTemplateFor(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string; templateId: string },
): Promise<FilledTemplate> {
  return audited(deps, actor, "template.fill", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    if (access.person.kind !== "staff") throw new DomainError("FORBIDDEN");
    const staff = access.person.staff;
    const template = await stores.templates.get(input.templateId);
    if (!template || !(template.scope === "clinic" || template.ownerId === staff.id)) {
      throw new DomainError("NOT_FOUND");
    }
    const next = access.patient ? await nextAppointment(stores, access.patient.id, deps.clock.now()) : null;
    return fillTemplate(
      template.text,
      placeholderValues({
        patientName: access.patient?.name ?? null,
        authorName: staff.name,
        clinic: access.clinic,
        nextAppointment: next,
      }),
    );
  });
}

async function nextAppointment(stores: Stores, patientId: string, now: Date) {
  const next = await stores.appointments.nextFor(patientId, now);
  if (!next) return null;
  const practitioner = await stores.directory.staffMember(next.practitionerId);
  return { startsAt: next.startsAt, practitionerName: practitioner?.name ?? null };
}

function mayChange(template: Template, staff: StaffMember): boolean {
  return template.scope === "clinic" ? staff.role === "admin" : template.ownerId === staff.id;
}

function templateView(template: Template, staff: StaffMember): TemplateView {
  return {
    id: template.id,
    scope: template.scope,
    name: template.name,
    text: template.text,
    editable: mayChange(template, staff),
  };
}
