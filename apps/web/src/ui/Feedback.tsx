import type { ReactNode } from "react";

/** A failure the user should read now: announced at once. */
export function ErrorText({ children, id }: { children: ReactNode; id?: string }) {
  if (!children) return null;
  return (
    <p className="error-text" role="alert" id={id}>
      {children}
    </p>
  );
}

/** Something still loading, announced politely. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

/** A quiet confirmation ("Saved"), announced politely. */
export function StatusText({ children }: { children: ReactNode }) {
  return (
    <p className="status-text" role="status">
      {children}
    </p>
  );
}
