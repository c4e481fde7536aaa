import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { AppShell } from "../app/AppShell";
import { useSession } from "../auth/session";
import { UnreadBadge } from "../chat/ConversationList";
import { SearchMemoryProvider } from "../chat/search/searchMemory";
import { useConversations } from "../chat/useConversations";
import { Icon } from "../ui/Icon";
import { useUnreadInTitle } from "../ui/usePageTitle";
import { EmergencyBadge } from "./emergency/EmergencyNotices";

/** The staff app's frame: header, the left-hand menu of the help article, and the page. */
export function StaffLayout() {
  const me = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  // A page chosen from the menu closes it on phones.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation.
  useEffect(() => setMenuOpen(false), [pathname]);
  return (
    <AppShell
      audience="staff"
      header={(signOut) => (
        <header className="topbar">
          <button
            ref={menuButton}
            type="button"
            className="button button--icon button--ghost topbar__menu"
            aria-expanded={menuOpen}
            aria-controls="staff-nav"
            onClick={() => setMenuOpen((open) => !open)}
            // Escape folds the open menu away from its own button too, not only from inside it.
            onKeyDown={(event) => {
              if (menuOpen && event.key === "Escape") setMenuOpen(false);
            }}
          >
            <Icon name={menuOpen ? "close" : "menu"} />
            <span className="visually-hidden">Menu</span>
          </button>
          <p className="topbar__brand">
            <span>Clinic Chat</span> <span className="topbar__clinic">{me.clinic.name}</span>
          </p>
          <p className="topbar__who">
            <span className="visually-hidden">Signed in as </span>
            {me.name}
          </p>
          <button type="button" className="button button--small topbar__signout" onClick={signOut}>
            Sign out
          </button>
        </header>
      )}
      nav={
        <StaffNav
          open={menuOpen}
          admin={me.role === "admin"}
          onClose={() => {
            setMenuOpen(false);
            menuButton.current?.focus();
          }}
        />
      }
    >
      <SearchMemoryProvider>
        <Outlet />
      </SearchMemoryProvider>
    </AppShell>
  );
}

function StaffNav({ open, admin, onClose }: { open: boolean; admin: boolean; onClose: () => void }) {
  const { totalUnread } = useConversations();
  useUnreadInTitle(totalUnread);
  const linkProps = { className: "nav__link", activeProps: { "aria-current": "page" as const } };
  return (
    <nav
      id="staff-nav"
      className={`nav${open ? " nav--open" : ""}`}
      aria-label="Main"
      // On a phone the open menu covers the page: Escape folds it away again.
      onKeyDown={(event) => {
        if (open && event.key === "Escape") onClose();
      }}
    >
      <ul>
        <li>
          <Link to="/staff/chat" {...linkProps}>
            <Icon name="chat" />
            <span>Chat</span>
            <UnreadBadge count={totalUnread} />
          </Link>
        </li>
        <li>
          <Link to="/staff/appointments" {...linkProps}>
            Appointments
          </Link>
        </li>
        <li>
          <Link to="/staff/patients" {...linkProps}>
            Patients
          </Link>
        </li>
      </ul>
      <p className="nav__group" id="nav-clinic-settings">
        Clinic Settings
      </p>
      <ul aria-labelledby="nav-clinic-settings">
        <li>
          <Link to="/staff/settings/patient-portal" {...linkProps}>
            Patient Portal
          </Link>
        </li>
        <li>
          <Link to="/staff/settings/notifications" {...linkProps}>
            Notification Settings
          </Link>
        </li>
        <li>
          <Link to="/staff/settings/security" {...linkProps}>
            Security
          </Link>
        </li>
        <li>
          <Link to="/staff/settings/office-hours" {...linkProps}>
            Office hours
          </Link>
        </li>
        <li>
          <Link to="/staff/settings/team" {...linkProps}>
            Team
          </Link>
        </li>
        <li>
          <Link to="/staff/settings/templates" {...linkProps}>
            Templates
          </Link>
        </li>
        <li>
          <Link to="/staff/settings/integrations" {...linkProps}>
            Integrations
          </Link>
        </li>
        <li>
          <Link to="/staff/settings/webhooks" {...linkProps}>
            Webhooks
          </Link>
        </li>
        {admin ? (
          <li>
            <Link to="/staff/settings/records" {...linkProps}>
              Records
            </Link>
          </li>
        ) : null}
        {admin ? (
          <li>
            <Link to="/staff/settings/broadcasts" {...linkProps}>
              Broadcasts
            </Link>
          </li>
        ) : null}
      </ul>
      <p className="nav__group" id="nav-account">
        Account
      </p>
      <ul aria-labelledby="nav-account">
        <li>
          <Link to="/staff/account" {...linkProps}>
            My Account
          </Link>
        </li>
        {admin ? (
          <li>
            <Link to="/staff/audit" {...linkProps}>
              <span>Audit trail</span>
              <EmergencyBadge />
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
