import { useMutation } from "@tanstack/react-query";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText } from "../ui/Feedback";
import { Icon } from "../ui/Icon";
import { allowedFileTypes, formatBytes } from "./fileRules";

/** Sends the browser to a download link; a seam for tests. */
export function navigateTo(url: string): void {
  window.location.assign(url);
}

/**
 * A shared file in a message. Download asks for a fresh link every time (FILE-3: links live
 * minutes, each download is audited) and goes there; storage sends the file as an attachment
 * under its uploaded name, so the page stays where it is.
 */
export function FileAttachment({
  file,
}: {
  file: { id: string; name: string; sizeBytes: number; contentType: string };
}) {
  const trpc = useTRPC();
  const download = useMutation(
    trpc.files.download.mutationOptions({ onSuccess: (link) => navigateTo(link.url) }),
  );
  const kind = allowedFileTypes[file.contentType] ?? "File";
  return (
    <div className="file-card">
      <Icon name="file" size={28} />
      <div className="file-card__text">
        <span className="file-name">{file.name}</span>
        <span className="hint">
          {kind} · {formatBytes(file.sizeBytes)}
        </span>
      </div>
      <button
        type="button"
        className="button button--small"
        onClick={() => download.mutate({ fileId: file.id })}
        disabled={download.isPending}
      >
        <Icon name="download" size={16} />
        <span>{download.isPending ? "Preparing…" : "Download"}</span>
        <span className="visually-hidden"> {file.name}</span>
      </button>
      {download.isError ? <ErrorText>{errorMessage(download.error)}</ErrorText> : null}
    </div>
  );
}
