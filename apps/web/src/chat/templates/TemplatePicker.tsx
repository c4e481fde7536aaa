/** One template in the picker. */
export interface PickerTemplate {
  readonly id: string;
  readonly name: string;
  readonly text: string;
  readonly scope: "clinic" | "personal";
}

/**
 * The reply template listbox under the composer (TPL-1). Focus stays in the text box, which
 * points at the active option (aria-activedescendant), as the combobox pattern has it; a click
 * inserts too.
 */
export function TemplatePicker({
  id,
  optionId,
  templates,
  activeIndex,
  onChoose,
  onHover,
}: {
  id: string;
  optionId: (index: number) => string;
  templates: readonly PickerTemplate[];
  activeIndex: number;
  onChoose: (index: number) => void;
  onHover: (index: number) => void;
}) {
  return (
    <div className="template-picker" data-testid="template-picker">
      <p className="template-picker__hint" id={`${id}-hint`}>
        {templates.length === 0
          ? "No template matches. Keep typing, or press Escape."
          : "Templates: ↑ ↓ to choose, Enter to insert, Escape to close."}
      </p>
      {templates.length > 0 ? (
        <div className="template-picker__list" role="listbox" id={id} aria-label="Reply templates">
          {templates.map((template, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the text box's (combobox pattern)
            <div
              key={template.id}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === activeIndex}
              className="template-picker__option"
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => onHover(i)}
              onClick={() => onChoose(i)}
            >
              <span className="template-picker__name">{template.name}</span>
              <span className="template-picker__scope">
                {template.scope === "clinic" ? "Clinic" : "Mine"}
              </span>
              <span className="template-picker__preview">{template.text}</span>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
