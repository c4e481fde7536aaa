/** Whose a reply template is (TPL-1): the clinic's, kept by admins, or one staff member's own. */
export type TemplateScope = "clinic" | "personal";

/**
 * A reply template (TPL-1): a name and a text with placeholders such as `{patient first name}`.
 * A template names no one: it is not PHI. Filled in for a conversation, it is.
 */
export interface Template {
  readonly id: string;
  readonly clinicId: string;
  readonly scope: TemplateScope;
  /** The staff member a personal template belongs to; null for the clinic's. */
  readonly ownerId: string | null;
  readonly name: string;
  readonly text: string;
  readonly updatedAt: Date;
}

/** The reply templates of the current clinic. */
export interface TemplateStore {
  /** The clinic's templates and the staff member's own, by name. */
  listFor(staffId: string): Promise<Template[]>;
  get(templateId: string): Promise<Template | null>;
  /** Adds a template, or replaces the one with the same id. */
  save(template: Template): Promise<void>;
  remove(templateId: string): Promise<void>;
}

/** Bounds of a template (TPL-1); a filled template is a message, so MSG-1's 4,000 characters bound its text. */
export const templateLimits = {
  nameMaxLength: 80,
  textMaxLength: 4000,
  /** Templates per scope of one owner (the clinic's, or a staff member's own). */
  perOwner: 200,
} as const;
