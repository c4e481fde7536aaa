import { useEffect } from "react";

/**
 * Gives focus back to what had it when the component mounted, once it unmounts: a viewer closed
 * by removing it returns the keyboard user to the file they opened it from.
 */
export function useRestoreFocus(): void {
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
}
