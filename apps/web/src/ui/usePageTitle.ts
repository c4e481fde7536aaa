import { useEffect } from "react";

/** What the tab shows: the page's name and the reader's unread total (MSG-3, INBOX-1). */
const shown = { title: "", unread: 0 };

function show(): void {
  const prefix = shown.unread > 0 ? `(${shown.unread > 99 ? "99+" : shown.unread}) ` : "";
  document.title = `${prefix}${shown.title} · Clinic Chat`;
}

/** Names the browser tab after the page (WCAG 2.4.2); never with a patient's name or message. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    shown.title = title;
    show();
  }, [title]);
}

/** Puts the signed-in person's unread total in front of the tab's title, live as it changes. */
export function useUnreadInTitle(total: number): void {
  useEffect(() => {
    shown.unread = total;
    show();
    return () => {
      shown.unread = 0;
      show();
    };
  }, [total]);
}
