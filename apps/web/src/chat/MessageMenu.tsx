import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { Icon } from "../ui/Icon";

/**
 * The ⋯ menu of a message with its one action, Delete, behind a confirmation: deletion is
 * permanent for everyone (DEL-1, DEL-2). A menu button in the WAI-ARIA pattern: Enter, Space or
 * Arrow Down opens it on the first item, Escape closes it and gives focus back to the button.
 * It opens upwards when there is no room below inside the scrolling history (the last message,
 * just above the composer), so it is never cut off. While a legal hold stands (REC-4), Delete
 * stays in the menu, disabled (focusable, as WAI-ARIA advises for menu items), with the reason.
 */
export function MessageMenu({
  label,
  onDelete,
  deleting,
  onOpenChange,
  unavailable = null,
}: {
  /** Names the message for screen readers ("Actions for your message of 10:42"). */
  label: string;
  onDelete: () => void;
  deleting: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Why Delete cannot be used now (REC-4: a legal hold); it stays in the menu, disabled, saying so. */
  unavailable?: string | null;
}) {
  const id = useId();
  const [state, setState] = useState<"closed" | "menu" | "confirm">("closed");
  const trigger = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const popup = useRef<HTMLDivElement>(null);
  const [above, setAbove] = useState(false);

  const change = (next: "closed" | "menu" | "confirm", refocus = false) => {
    setState(next);
    onOpenChange?.(next !== "closed");
    if (next === "closed" && refocus) trigger.current?.focus();
  };

  useLayoutEffect(() => {
    if (state === "closed") {
      setAbove(false);
      return;
    }
    const box = popup.current?.getBoundingClientRect();
    const bounds = root.current?.closest("[data-menu-bounds]")?.getBoundingClientRect();
    const bottom = Math.min(bounds?.bottom ?? window.innerHeight, window.innerHeight);
    if (box && box.bottom > bottom) setAbove(true);
  }, [state]);

  useEffect(() => {
    if (state !== "closed") first.current?.focus();
  }, [state]);

  useEffect(() => {
    if (state === "closed") return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) change("closed");
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && state !== "closed") {
      event.stopPropagation();
      change("closed", true);
    }
    if (event.key === "Tab" && state !== "closed") change("closed");
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: catches Escape from the menu's own controls.
    <div className="message-menu" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={trigger}
        type="button"
        className="button button--icon button--ghost message-menu__trigger"
        aria-haspopup="menu"
        aria-expanded={state === "menu"}
        aria-controls={state === "menu" ? `${id}-menu` : undefined}
        aria-label={label}
        onClick={() => change(state === "closed" ? "menu" : "closed")}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && state === "closed") {
            event.preventDefault();
            change("menu");
          }
        }}
      >
        <Icon name="more" />
      </button>
      {state === "menu" ? (
        <div
          ref={popup}
          className="message-menu__popup"
          data-above={above || undefined}
          role="menu"
          id={`${id}-menu`}
          aria-label="Message actions"
        >
          <button
            ref={first}
            type="button"
            role="menuitem"
            className={`message-menu__item ${unavailable ? "message-menu__item--unavailable" : "message-menu__item--danger"}`}
            aria-disabled={unavailable ? true : undefined}
            onClick={() => {
              if (!unavailable) change("confirm");
            }}
          >
            Delete
            {unavailable ? <span className="message-menu__why">{unavailable}</span> : null}
          </button>
        </div>
      ) : null}
      {state === "confirm" ? (
        <div
          ref={popup}
          className="message-menu__popup message-menu__confirm"
          data-above={above || undefined}
          role="alertdialog"
          aria-labelledby={`${id}-confirm`}
        >
          <p id={`${id}-confirm`}>Delete this message for everyone? It can't be restored.</p>
          <div className="message-menu__buttons">
            <button
              ref={first}
              type="button"
              className="button button--danger button--small"
              disabled={deleting}
              onClick={() => {
                onDelete();
                change("closed");
              }}
            >
              Delete
            </button>
            <button type="button" className="button button--small" onClick={() => change("closed", true)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
