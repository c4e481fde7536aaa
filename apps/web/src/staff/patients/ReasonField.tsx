import type { ReactNode } from "react";

/** A record's reason (REC-2, REC-4): required, at most this long (the domain says the same). */
export const reasonMax = 500;

/** True when the reason is longer than {@link reasonMax} once trimmed. */
export const reasonTooLong = (reason: string) => reason.trim().length > reasonMax;

/** "Dec 6, 2026, 3:45 PM" on the clinic's clock. */
export function formatMoment(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(iso),
  );
}

/** The required "Reason" box of a legal hold or an erasure, with where the reason is kept. */
export function ReasonField({
  id,
  value,
  onChange,
  kept,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  kept: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={`${id}-reason`}>Reason</label>
      <textarea
        id={`${id}-reason`}
        rows={3}
        required
        value={value}
        aria-describedby={`${id}-reason-hint`}
        aria-invalid={reasonTooLong(value) ? true : undefined}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
      <p id={`${id}-reason-hint`} className="hint">
        Required, up to {reasonMax} characters. {kept}
      </p>
    </div>
  );
}
