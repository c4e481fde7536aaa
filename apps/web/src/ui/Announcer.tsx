import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";

type Announce = (text: string) => void;

const AnnouncerContext = createContext<Announce>(() => {});

/**
 * One polite live region for the whole app: screen readers hear "New message from …" without
 * the message itself, after whatever they are reading now. Repeating the same words still
 * announces, because the text is replaced, not appended.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState({ text: "", n: 0 });
  const announce = useCallback<Announce>((text) => setMessage((m) => ({ text, n: m.n + 1 })), []);
  const value = useMemo(() => announce, [announce]);
  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        <span key={message.n}>{message.text}</span>
      </div>
    </AnnouncerContext.Provider>
  );
}

/** Says something short to screen reader users, politely. */
export function useAnnounce(): Announce {
  return useContext(AnnouncerContext);
}
