import type { LiveStatus } from "./useLiveEvents";

/**
 * Says so while the app is offline (MSG-2): what is on screen may be behind, and sends wait; or
 * while this tab gets no live updates because the sign-in has too many open (OPS-1).
 * Nothing is shown while connected; the region stays in place so the change is announced.
 */
export function ConnectionBanner({ status }: { status: LiveStatus }) {
  return (
    <div role="status" className="connection-banner-region">
      {status === "offline" ? (
        <p className="connection-banner">
          <strong>You're offline.</strong> Reconnecting… New messages will appear, and what you send will go
          out, as soon as the connection is back.
        </p>
      ) : status === "too-many-windows" ? (
        <p className="connection-banner">
          <strong>Too many open windows.</strong> Close another tab or window of Clinic Chat to keep getting
          messages live here; what you send still goes out.
        </p>
      ) : null}
    </div>
  );
}
