import { useMutation } from "@tanstack/react-query";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { saveBlob } from "../files/saveFile";
import { errorMessage } from "../rpc/errors";
import { useTRPCClient } from "../rpc/trpc";
import { ErrorText } from "../ui/Feedback";
import { Icon } from "../ui/Icon";

/**
 * The ⋯ menu of a patient conversation for staff: "Export for the chart" downloads it as a FHIR
 * R4 Bundle (INTEG-5), "Export PDF" as a readable transcript (REC-5); both audited on the server. A menu button in the WAI-ARIA pattern, as the
 * message menu.
 */
export function ConversationMenu({ conversationId }: { conversationId: string }) {
  const id = useId();
  const client = useTRPCClient();
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  // Both downloads are named by the conversation's id only, so no name or other PHI ends up in the
  // downloads folder's listing.
  const exporting = useMutation({
    mutationFn: () => client.conversations.exportForChart.query({ conversationId }),
    onSuccess: (bundle) =>
      saveBlob(
        `conversation-${conversationId}.json`,
        new Blob([JSON.stringify(bundle, null, 2)], { type: "application/fhir+json" }),
      ),
  });
  const exportingPdf = useMutation({
    mutationFn: () => client.records.exportPdf.query({ conversationId }),
    onSuccess: (pdf) =>
      saveBlob(
        pdf.fileName,
        new Blob([Uint8Array.from(atob(pdf.contentBase64), (c) => c.charCodeAt(0))], {
          type: "application/pdf",
        }),
      ),
  });
  const popup = useRef<HTMLDivElement>(null);
  // Arrow keys move between the items (WAI-ARIA menu pattern), wrapping around.
  const moveFocus = (step: number) => {
    const items = [...(popup.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    items[(at + step + items.length) % items.length]?.focus();
  };
  const pending = exporting.isPending || exportingPdf.isPending;
  const failed = exporting.isError ? exporting.error : exportingPdf.isError ? exportingPdf.error : null;

  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && open) {
      event.stopPropagation();
      setOpen(false);
      trigger.current?.focus();
    }
    if (event.key === "Tab" && open) setOpen(false);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: catches Escape from the menu's own controls.
    <div className="message-menu conversation-menu" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={trigger}
        type="button"
        className="button button--icon button--ghost message-menu__trigger"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-label="Conversation actions"
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <Icon name="more" />
      </button>
      {open ? (
        <div
          ref={popup}
          className="message-menu__popup"
          role="menu"
          id={`${id}-menu`}
          aria-label="Conversation actions"
          onKeyDown={(event) => {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault();
              moveFocus(event.key === "ArrowDown" ? 1 : -1);
            }
          }}
        >
          <button
            ref={first}
            type="button"
            role="menuitem"
            className="message-menu__item"
            disabled={pending}
            onClick={() => {
              exporting.mutate();
              setOpen(false);
              trigger.current?.focus();
            }}
          >
            Export for the chart
          </button>
          <button
            type="button"
            role="menuitem"
            className="message-menu__item"
            disabled={pending}
            onClick={() => {
              exportingPdf.mutate();
              setOpen(false);
              trigger.current?.focus();
            }}
          >
            Export PDF
          </button>
        </div>
      ) : null}
      <p role="status" className="visually-hidden">
        {pending
          ? "Preparing the export…"
          : exporting.isSuccess || exportingPdf.isSuccess
            ? "Export downloaded."
            : ""}
      </p>
      <ErrorText>{failed ? errorMessage(failed) : null}</ErrorText>
    </div>
  );
}
