import { Link } from "@tanstack/react-router";
import { usePageTitle } from "../ui/usePageTitle";

/** An address that leads nowhere. */
export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <main id="main" className="page page--narrow">
      <h1 tabIndex={-1}>We couldn't find that page</h1>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </main>
  );
}
