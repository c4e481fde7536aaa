/** Reply templates (TPL-1): `@clinic-chat/domain/templates`. */
export {
  clockTime,
  type FilledTemplate,
  fillTemplate,
  longDate,
  marksLeft,
  missingMark,
  type Placeholder,
  type PlaceholderSources,
  type PlaceholderValues,
  placeholders,
  placeholderValues,
  unknownPlaceholders,
} from "./placeholders";
export { type Template, type TemplateScope, type TemplateStore, templateLimits } from "./Template";
export {
  deleteTemplate,
  fillTemplateFor,
  listTemplates,
  saveTemplate,
  type TemplateInput,
  type TemplateView,
} from "./templateUseCases";
