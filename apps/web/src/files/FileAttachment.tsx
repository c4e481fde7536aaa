import { useMutation } from "@tanstack/react-query";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText } from "../ui/Feedback";
import { Icon } from "../ui/Icon";
import { useFileViewer } from "./FileViewerContext";
import { allowedFileTypes, formatBytes } from "./fileRules";
import { saveFile } from "./saveFile";
import { Thumbnail } from "./Thumbnail";
import { isPdf, isPreviewedImage } from "./useImagePreview";

/**
 * A shared file in a message. An image shows its thumbnail, which opens the image viewer; a PDF
 * opens in the PDF viewer of the page (FILE-7). Download asks for a fresh link every time (FILE-3:
 * links live minutes, each download is audited) and saves the bytes under the file's name, which
 * storage does not know; the page stays where it is.
 */
export function FileAttachment({
  file,
}: {
  file: { id: string; name: string; sizeBytes: number; contentType: string };
}) {
  const trpc = useTRPC();
  const openViewer = useFileViewer();
  const downloadLink = useMutation(trpc.files.download.mutationOptions());
  const download = useMutation({
    mutationFn: async () => saveFile((await downloadLink.mutateAsync({ fileId: file.id })).url, file.name),
  });
  const kind = allowedFileTypes[file.contentType] ?? "File";
  const image = isPreviewedImage(file.contentType);
  return (
    <div className={image ? "file-card file-card--image" : "file-card"}>
      {image && openViewer ? (
        <Thumbnail file={file} onOpen={() => openViewer(file)} />
      ) : (
        <Icon name="file" size={28} />
      )}
      <div className="file-card__text">
        <span className="file-name">{file.name}</span>
        <span className="hint">
          {kind} · {formatBytes(file.sizeBytes)}
        </span>
      </div>
      <div className="file-card__actions">
        {isPdf(file.contentType) && openViewer ? (
          <button type="button" className="button button--small" onClick={() => openViewer(file)}>
            <Icon name="file" size={16} />
            <span>Open</span>
            <span className="visually-hidden"> {file.name}</span>
          </button>
        ) : null}
        <button
          type="button"
          className="button button--small"
          onClick={() => download.mutate()}
          disabled={download.isPending}
        >
          <Icon name="download" size={16} />
          <span>{download.isPending ? "Preparing…" : "Download"}</span>
          <span className="visually-hidden"> {file.name}</span>
        </button>
      </div>
      {download.isError ? <ErrorText>{errorMessage(download.error)}</ErrorText> : null}
    </div>
  );
}
