import { Link } from "@tanstack/react-router";
import { usePageTitle } from "../ui/usePageTitle";

/** The root address: a choice between the two apps. */
export function HomePage() {
  usePageTitle("Welcome");
  return (
    <main id="main" className="page page--narrow home">
      <p className="brand">Clinic Chat</p>
      <h1 tabIndex={-1}>Secure chat for your clinic</h1>
      <ul className="home__choices">
        <li>
          <Link to="/portal/sign-in" className="card home__choice">
            <strong>Patient Portal</strong>
            <span>Messages and files with your clinic.</span>
          </Link>
        </li>
        <li>
          <Link to="/staff/sign-in" className="card home__choice">
            <strong>Clinic staff</strong>
            <span>Chat with patients and your team.</span>
          </Link>
        </li>
      </ul>
    </main>
  );
}
