import { useEffect, useRef } from "react";

/**
 * The warning before automatic logoff (SEC-2, WCAG 2.2.1): says why and how long is left, and
 * offers to stay with one key press. Focus moves to it so keyboard users can answer at once.
 */
export function IdleWarning({
  secondsLeft,
  onStay,
  onSignOut,
}: {
  secondsLeft: number;
  onStay: () => void;
  onSignOut: () => void;
}) {
  const stayButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    stayButton.current?.focus();
  }, []);
  return (
    <div
      className="idle-warning"
      role="alertdialog"
      aria-labelledby="idle-title"
      aria-describedby="idle-desc"
    >
      <h2 id="idle-title">Are you still there?</h2>
      <p id="idle-desc">
        For privacy you will be signed out soon because there has been no activity.{" "}
        <span className="idle-warning__count">
          Time left: <strong data-testid="idle-seconds">{secondsLeft}</strong> seconds.
        </span>
      </p>
      <div className="form__actions">
        <button ref={stayButton} type="button" className="button button--primary" onClick={onStay}>
          Stay signed in
        </button>
        <button type="button" className="button" onClick={onSignOut}>
          Sign out now
        </button>
      </div>
    </div>
  );
}
