import { useId } from "react";
import type { DayRange, QuickRange } from "./auditRange";
import { quickRanges } from "./auditRange";
import { type AuditActionName, actionNames } from "./auditWords";

/** The trail's filters as the page keeps them (REC-6). */
export interface AuditFilterState extends DayRange {
  readonly action: AuditActionName | "";
  readonly patientId: string | null;
  readonly actorKey: string | null;
  /** The quick range picked, or "custom" once a date is typed. */
  readonly quick: QuickRange | "custom";
}

/** Action, quick range and dates; the person and patient filters show as removable chips. */
export function AuditFilters({
  filters,
  names,
  onChange,
  onQuick,
}: {
  filters: AuditFilterState;
  names: { actor: string | null; patient: string | null };
  onChange: (change: Partial<AuditFilterState>) => void;
  onQuick: (quick: QuickRange) => void;
}) {
  const id = useId();
  const chips = [
    filters.patientId
      ? { key: "patient", label: `Patient: ${names.patient ?? "…"}`, clear: { patientId: null } }
      : null,
    filters.actorKey
      ? { key: "actor", label: `Person: ${names.actor ?? "…"}`, clear: { actorKey: null } }
      : null,
  ].filter((chip) => chip !== null);
  return (
    <section className="audit-filters" aria-label="Filters">
      {chips.length > 0 ? (
        <ul className="chips" aria-label="Showing only">
          {chips.map((chip) => (
            <li key={chip.key} className="chip">
              {chip.label}
              <button
                type="button"
                className="chip__remove"
                aria-label={`Remove the filter ${chip.label}`}
                onClick={() => onChange(chip.clear)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="toolbar">
        <div className="field field--compact">
          <label htmlFor={`${id}-action`}>Action</label>
          <select
            id={`${id}-action`}
            value={filters.action}
            onChange={(event) => onChange({ action: event.currentTarget.value as AuditActionName | "" })}
          >
            <option value="">All actions</option>
            {Object.entries(actionNames)
              .sort(([, a], [, b]) => a.localeCompare(b))
              .map(([value, name]) => (
                <option key={value} value={value}>
                  {name}
                </option>
              ))}
          </select>
        </div>
        <fieldset className="segmented audit-filters__range">
          <legend className="toolbar__label">When</legend>
          {quickRanges.map((range) => (
            <label key={range.key} className="segmented__option">
              <input
                type="radio"
                name={`${id}-range`}
                checked={filters.quick === range.key}
                onChange={() => onQuick(range.key)}
              />
              <span>{range.label}</span>
            </label>
          ))}
        </fieldset>
        <div className="field field--compact">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            value={filters.fromDay ?? ""}
            onChange={(event) => onChange({ fromDay: event.currentTarget.value || null, quick: "custom" })}
          />
        </div>
        <div className="field field--compact">
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="date"
            value={filters.toDay ?? ""}
            onChange={(event) => onChange({ toDay: event.currentTarget.value || null, quick: "custom" })}
          />
        </div>
      </div>
    </section>
  );
}
