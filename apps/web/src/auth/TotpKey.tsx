/** The enrolment key in groups of four, easier to type into an authenticator app by hand. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

/**
 * Staff TOTP enrolment (SEC-1): the key to add to an authenticator app. Shown as text and as an
 * `otpauth:` link, which phone authenticator apps open directly.
 */
export function TotpKey({ secret, uri }: { secret: string; uri: string }) {
  return (
    <section className="enrol" aria-labelledby="enrol-title">
      <h2 id="enrol-title">Set up two-step sign-in</h2>
      <p>
        Staff sign in with a code from an authenticator app. Add Clinic Chat to your app with this key, then
        enter the code the app shows.
      </p>
      <p className="enrol__key">
        <span className="hint">Key</span>
        <code data-testid="totp-secret" data-secret={secret}>
          {groupKey(secret)}
        </code>
      </p>
      <p>
        <a href={uri}>Open in an authenticator app on this device</a>
      </p>
    </section>
  );
}
