import { useEffect, useState } from "react";

/**
 * Gives focus back to what had it when the component first rendered, once it unmounts: a viewer
 * closed by removing it returns the keyboard user to the file they opened it from. The element is
 * taken while rendering, before any effect (a dialog's own) moves focus into the new content.
 */
export function useRestoreFocus(): void {
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  useEffect(
    () => () => {
      if (opener?.isConnected) opener.focus();
    },
    [opener],
  );
}
