import { Link, Outlet } from "@tanstack/react-router";
import { AppShell } from "../app/AppShell";
import { useSession } from "../auth/session";

/** The Patient Portal's frame: the clinic's name, Chat, and signing out. */
export function PortalLayout() {
  const me = useSession();
  return (
    <AppShell
      audience="patient"
      header={(signOut) => (
        <header className="topbar topbar--portal">
          <p className="topbar__brand">
            <span>{me.clinic.name}</span> <span className="topbar__clinic">Patient Portal</span>
          </p>
          <nav aria-label="Main" className="topbar__nav">
            <Link to="/portal/chat" className="nav__link" activeProps={{ "aria-current": "page" }}>
              Chat
            </Link>
            <Link to="/portal/account" className="nav__link" activeProps={{ "aria-current": "page" }}>
              Account
            </Link>
          </nav>
          <p className="topbar__who">
            <span className="visually-hidden">Signed in as </span>
            {me.name}
          </p>
          <button type="button" className="button button--small topbar__signout" onClick={signOut}>
            Sign out
          </button>
        </header>
      )}
    >
      <Outlet />
    </AppShell>
  );
}
