import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { Dialog } from "../ui/Dialog";
import { ErrorText, Loading } from "../ui/Feedback";
import { Icon } from "../ui/Icon";
import type { ViewableFile } from "./FileViewerContext";
import { saveFile } from "./saveFile";
import { useImagePreview } from "./useImagePreview";
import { useRestoreFocus } from "./useRestoreFocus";

/**
 * The image viewer (FILE-7): the display-size rendition in a modal dialog. Escape closes it and
 * gives focus back to the thumbnail that opened it; with several images, the arrow keys and the
 * Previous and Next buttons move between them. The dialog is named by position ("Image 2 of 3"),
 * the picture by its file name, which stays in the page and is never sent anywhere but to it.
 */
export function ImageViewer({
  images,
  current,
  onShow,
  onClose,
}: {
  images: readonly ViewableFile[];
  current: string;
  onShow: (file: ViewableFile) => void;
  onClose: () => void;
}) {
  useRestoreFocus();
  const trpc = useTRPC();
  const index = Math.max(
    0,
    images.findIndex((image) => image.id === current),
  );
  const image = images[index]!;
  const display = useImagePreview(image.id, "display");
  const downloadLink = useMutation(trpc.files.download.mutationOptions());
  const download = useMutation({
    mutationFn: async (shown: ViewableFile) =>
      saveFile((await downloadLink.mutateAsync({ fileId: shown.id })).url, shown.name),
  });
  const several = images.length > 1;
  const step = (by: number) => onShow(images[(index + by + images.length) % images.length]!);
  // The arrow keys work wherever focus is in the dialog (the page behind it is inert).
  const stepRef = useRef(step);
  stepRef.current = step;
  useEffect(() => {
    if (!several) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "ArrowRight") stepRef.current(1);
      else if (event.key === "ArrowLeft") stepRef.current(-1);
      else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [several]);
  const data = display.data;
  return (
    <Dialog open title={several ? `Image ${index + 1} of ${images.length}` : "Image"} onClose={onClose}>
      <div className="image-viewer">
        <div className="image-viewer__stage">
          {data?.state === "ready" ? (
            <img
              className="image-viewer__image"
              src={data.url}
              alt={image.name}
              width={data.width}
              height={data.height}
            />
          ) : null}
          {display.isPending || data?.state === "making" ? <Loading label="Loading the image…" /> : null}
          {data?.state === "none" ? <p>This image cannot be shown here. Download it to see it.</p> : null}
          {display.isError ? <ErrorText>{errorMessage(display.error)}</ErrorText> : null}
        </div>
        <p className="image-viewer__name file-name">{image.name}</p>
        <div className="image-viewer__actions">
          {several ? (
            <button type="button" className="button" onClick={() => step(-1)}>
              <Icon name="back" size={16} />
              <span>Previous</span>
            </button>
          ) : null}
          <button
            type="button"
            className="button"
            onClick={() => download.mutate(image)}
            disabled={download.isPending}
          >
            <Icon name="download" size={16} />
            <span>{download.isPending ? "Preparing…" : "Download"}</span>
          </button>
          {several ? (
            <button type="button" className="button" onClick={() => step(1)}>
              <span>Next</span>
              <Icon name="forward" size={16} />
            </button>
          ) : null}
        </div>
        {several ? <p className="hint">Use the left and right arrow keys to move between images.</p> : null}
        {download.isError ? <ErrorText>{errorMessage(download.error)}</ErrorText> : null}
      </div>
    </Dialog>
  );
}
