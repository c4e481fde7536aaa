import { useEffect } from "react";

/** Names the browser tab after the page (WCAG 2.4.2); never with a patient's name or message. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Clinic Chat`;
  }, [title]);
}
