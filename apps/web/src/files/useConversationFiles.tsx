import { lazy, Suspense, useMemo, useState } from "react";
import { Loading } from "../ui/Feedback";
import { UploadTray } from "./UploadTray";
import { useFileDrop } from "./useFileDrop";
import { useUploads } from "./useUploads";
import { useWaitingUploads } from "./useWaitingUploads";

/** The dialog loads when files are first picked or dropped, not with the conversation. */
const SendFilesDialog = lazy(() => import("./SendFilesDialog").then((m) => ({ default: m.SendFilesDialog })));

/**
 * Everything a conversation does with files being sent (FILE-1, FILE-6, FILE-8), behind small
 * hook-in points: `dropHandlers` for the conversation's element, `pickFile` for the composer's
 * picker, and the elements to place (`tray` above the composer, `overlays` anywhere inside).
 * `rules` are the composer's: files only when they are allowed, a caption only where text is.
 */
export function useConversationFiles(
  conversationId: string,
  rules: { readonly canFile: boolean; readonly canText: boolean },
  sendText: (text: string) => void,
) {
  const uploads = useUploads(conversationId);
  const ownClientIds = useMemo(() => new Set(uploads.uploads.map((u) => u.clientId)), [uploads.uploads]);
  const waiting = useWaitingUploads(conversationId, ownClientIds);
  const [drafts, setDrafts] = useState<readonly File[]>([]);
  const drop = useFileDrop(rules.canFile ? (files) => setDrafts((all) => [...all, ...files]) : null);

  const pickFile = (file: File) => void uploads.start(file);
  const sendDrafts = (caption: string) => {
    const files = drafts;
    setDrafts([]);
    void Promise.all(files.map((file) => uploads.start(file))).then((shared) => {
      // The caption follows the files it describes, once at least one of them is shared.
      if (caption && rules.canText && shared.some(Boolean)) sendText(caption);
    });
  };

  const tray = (
    <UploadTray
      uploads={[...waiting.uploads, ...uploads.uploads]}
      onRetry={uploads.retry}
      onDismiss={uploads.dismiss}
      onCancel={(clientId) =>
        ownClientIds.has(clientId) ? uploads.cancel(clientId) : void waiting.cancel(clientId)
      }
    />
  );
  const overlays = (
    <>
      {drop.dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop files to send them</p>
        </div>
      ) : null}
      {drafts.length > 0 ? (
        <Suspense fallback={<Loading label="Opening…" />}>
          <SendFilesDialog
            files={drafts}
            canCaption={rules.canText}
            onSend={sendDrafts}
            onRemove={(index) => setDrafts((all) => all.filter((_, i) => i !== index))}
            onClose={() => setDrafts([])}
          />
        </Suspense>
      ) : null}
    </>
  );
  return { dropHandlers: drop.handlers, pickFile, tray, overlays };
}
