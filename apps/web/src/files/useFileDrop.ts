import { type ClipboardEvent, type DragEvent, useRef, useState } from "react";

/** True when a drag carries files (not text or a link dragged within the page). */
const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes("Files");

/**
 * FILE-8: files dropped anywhere on the conversation or pasted into it (a screenshot, say) are
 * handed to `onFiles`; pasted text is left to the text box. The handlers go on the conversation's
 * element; `dragging` says when to show where to drop. With `onFiles` null (files not allowed
 * now, ENT-1) nothing is taken and the browser does nothing with a drop either.
 */
export function useFileDrop(onFiles: ((files: File[]) => void) | null) {
  const [dragging, setDragging] = useState(false);
  // dragenter and dragleave fire for every child crossed: count them to know when the drag left.
  const depth = useRef(0);
  const reset = () => {
    depth.current = 0;
    setDragging(false);
  };
  const handlers = {
    onDragEnter(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current++;
      if (onFiles) setDragging(true);
    },
    onDragOver(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = onFiles ? "copy" : "none";
    },
    onDragLeave(event: DragEvent) {
      if (!carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      reset();
      const files = Array.from(event.dataTransfer.files);
      if (onFiles && files.length > 0) onFiles(files);
    },
    onPaste(event: ClipboardEvent) {
      const files = Array.from(event.clipboardData?.files ?? []);
      if (!onFiles || files.length === 0) return;
      event.preventDefault();
      onFiles(files);
    },
  };
  return { dragging, handlers };
}
