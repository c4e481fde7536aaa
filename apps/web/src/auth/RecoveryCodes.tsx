import { usePageTitle } from "../ui/usePageTitle";

/** The recovery codes, shown once after TOTP enrolment: the way in when the phone is lost. */
export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  usePageTitle("Save your recovery codes");
  return (
    <main id="main" className="page page--narrow">
      <h1 tabIndex={-1}>Save your recovery codes</h1>
      <p>
        Each code signs you in once if you lose your authenticator app. Keep them somewhere safe: they are not
        shown again.
      </p>
      <ul className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="button button--primary" onClick={onDone}>
        I saved them, continue
      </button>
    </main>
  );
}
