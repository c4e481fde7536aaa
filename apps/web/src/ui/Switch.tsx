import { useId } from "react";

/** Props of {@link Switch}. */
export interface SwitchProps {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange?: (checked: boolean) => void;
  /** Why the switch cannot be used, shown under it (a plan limit). */
  readonly disabledReason?: string | null;
  /** Cannot be used for a reason explained once for the whole group (only admins change settings). */
  readonly disabled?: boolean;
  readonly description?: string;
  readonly busy?: boolean;
}

/** An on/off setting with its label and Yes/No state, usable by keyboard and announced as a switch. */
export function Switch({
  label,
  checked,
  onChange,
  disabledReason,
  disabled: groupDisabled,
  description,
  busy,
}: SwitchProps) {
  const id = useId();
  const disabled = Boolean(disabledReason) || Boolean(groupDisabled) || !onChange;
  const describedBy = [description ? `${id}-desc` : null, disabledReason ? `${id}-why` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="switch-row">
      <div className="switch-row__text">
        <span id={`${id}-label`} className="switch-row__label">
          {label}
        </span>
        {description ? (
          <span id={`${id}-desc`} className="hint">
            {description}
          </span>
        ) : null}
        {disabledReason ? (
          <span id={`${id}-why`} className="hint hint--why">
            {disabledReason}
          </span>
        ) : null}
      </div>
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={describedBy || undefined}
        aria-busy={busy || undefined}
        disabled={disabled}
        onClick={() => onChange?.(!checked)}
      >
        <span className="switch__track" aria-hidden="true">
          <span className="switch__thumb" />
        </span>
        <span className="switch__state" aria-hidden="true">
          {checked ? "Yes" : "No"}
        </span>
      </button>
    </div>
  );
}
