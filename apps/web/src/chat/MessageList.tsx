import { type ReactNode, useEffect, useLayoutEffect, useRef, useState } from "react";

/** Props of {@link MessageList}. */
export interface MessageListProps {
  /** Changes whenever a newer message is added at the bottom (its id or client id). */
  readonly newestKey: string | null;
  /** Changes when older messages were added at the top (how many are loaded). */
  readonly loadedCount: number;
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  readonly onLoadOlder: () => void;
  /** Opens at the row with this `data-row-key` (the first unread) or `data-message-id` instead of the newest message. */
  readonly startAtKey?: string | null;
  readonly children: ReactNode;
}

const nearBottomPx = 96;
/** Room left above the first unread message when the list opens at it. */
const startMarginPx = 8;

/**
 * The scrolling history: opens at the first unread message when there is one, else at the newest,
 * and follows the newest as messages arrive, unless
 * the reader scrolled up, in which case a button offers to jump down. Reaching the top loads older
 * messages without moving what the reader is looking at; a button does the same for keyboards.
 */
export function MessageList({
  newestKey,
  loadedCount,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  startAtKey = null,
  children,
}: MessageListProps) {
  const opened = useRef(false);
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // Where the list opened (a search hit, the first unread): held in view while the page around it
  // settles, until the reader scrolls or a newer message comes.
  const anchor = useRef<Element | null>(null);
  const heightBeforeOlder = useRef<number | null>(null);
  const [unseenBelow, setUnseenBelow] = useState(false);
  const loadOlder = useRef(onLoadOlder);
  loadOlder.current = onLoadOlder;

  const requestOlder = () => {
    const el = scroller.current;
    if (!el || loadingOlder || !hasOlder) return;
    heightBeforeOlder.current = el.scrollHeight;
    loadOlder.current();
  };

  // Older messages went in above: keep the same message under the reader's eyes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the loaded count changes.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || heightBeforeOlder.current === null) return;
    el.scrollTop += el.scrollHeight - heightBeforeOlder.current;
    heightBeforeOlder.current = null;
  }, [loadedCount]);

  // A newer message arrived: follow it if the reader was at the bottom.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the newest message changes.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (!opened.current) {
      opened.current = true;
      const key = startAtKey ? CSS.escape(startAtKey) : null;
      // A divider's key, or a message's id (a search hit, SRCH-1).
      const start = key ? el.querySelector(`[data-row-key="${key}"], [data-message-id="${key}"]`) : null;
      if (start) {
        anchor.current = start;
        showAnchor(el, start);
        atBottom.current = atBottomOf(el, 1);
        return;
      }
    }
    anchor.current = null;
    if (atBottom.current) el.scrollTop = el.scrollHeight;
    else setUnseenBelow(true);
  }, [newestKey]);

  // The view got shorter or taller (a phone's keyboard, a rotated screen): keep the newest in sight.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (anchor.current?.isConnected) showAnchor(el, anchor.current);
      else if (atBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    // The reader's own scrolling lets go of where the list opened.
    const letGo = () => {
      anchor.current = null;
    };
    const inputs = ["wheel", "touchstart", "keydown", "pointerdown"] as const;
    for (const input of inputs) el.addEventListener(input, letGo, { passive: true });
    return () => {
      observer.disconnect();
      for (const input of inputs) el.removeEventListener(input, letGo);
    };
  }, []);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) requestOlder();
      },
      { root: scroller.current, rootMargin: "200px 0px 0px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  });

  const jumpDown = () => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    setUnseenBelow(false);
  };

  return (
    <div className="message-list">
      <section
        className="message-list__scroller"
        ref={scroller}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it.
        tabIndex={0}
        aria-label="Messages"
        data-menu-bounds
        onScroll={(event) => {
          const el = event.currentTarget;
          atBottom.current = atBottomOf(el, anchor.current ? 1 : nearBottomPx);
          if (atBottom.current) setUnseenBelow(false);
        }}
      >
        <div ref={sentinel} className="message-list__top">
          {hasOlder ? (
            <button
              type="button"
              className="button button--small"
              onClick={requestOlder}
              disabled={loadingOlder}
            >
              {loadingOlder ? "Loading older messages…" : "Load older messages"}
            </button>
          ) : (
            <p className="hint">This is the beginning of the conversation.</p>
          )}
        </div>
        <ol className="message-list__items">{children}</ol>
      </section>
      {unseenBelow ? (
        <button type="button" className="button button--small message-list__jump" onClick={jumpDown}>
          New messages below
        </button>
      ) : null}
    </div>
  );
}

/** Scrolls `list` so that `start` stands at its top (as far as the list scrolls). */
function showAnchor(list: HTMLElement, start: Element): void {
  list.scrollTop += start.getBoundingClientRect().top - list.getBoundingClientRect().top - startMarginPx;
}

/** Whether `list` shows its end, give or take `slackPx`. */
function atBottomOf(list: HTMLElement, slackPx: number): boolean {
  return list.scrollHeight - list.scrollTop - list.clientHeight < slackPx;
}
