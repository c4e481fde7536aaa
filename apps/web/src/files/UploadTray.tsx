import { ErrorText } from "../ui/Feedback";
import { formatBytes } from "./fileRules";
import type { Upload } from "./useUploads";

/**
 * Files on their way: progress, the server's check, or why one was refused (FILE-1); each can be
 * cancelled until it is shared (FILE-8).
 */
export function UploadTray({
  uploads,
  onRetry,
  onDismiss,
  onCancel,
}: {
  uploads: readonly Upload[];
  onRetry: (clientId: string) => void;
  onDismiss: (clientId: string) => void;
  onCancel?: (clientId: string) => void;
}) {
  if (uploads.length === 0) return null;
  return (
    <ul className="upload-tray" aria-label="Files being sent">
      {uploads.map((upload) => (
        <li key={upload.clientId} className={`upload upload--${upload.status}`}>
          <div className="upload__name">
            <span className="file-name">{upload.fileName}</span>{" "}
            <span className="hint">{formatBytes(upload.sizeBytes)}</span>
          </div>
          {upload.status === "uploading" ? (
            <>
              <progress
                className="upload__progress"
                max={100}
                value={Math.round(upload.progress * 100)}
                aria-label={`Uploading ${upload.fileName}`}
              />
              <span className="hint">Uploading… {Math.round(upload.progress * 100)}%</span>
            </>
          ) : null}
          {upload.status === "checking" ? (
            <span className="hint" role="status">
              Checking the file…
            </span>
          ) : null}
          {upload.status === "scanning" ? (
            <span className="hint" role="status">
              Checking for viruses… Only you can see this file until the check is done.
            </span>
          ) : null}
          {onCancel && upload.status !== "failed" ? (
            <div className="upload__actions">
              <button
                type="button"
                className="button button--small"
                onClick={() => onCancel(upload.clientId)}
              >
                Cancel<span className="visually-hidden"> sending {upload.fileName}</span>
              </button>
            </div>
          ) : null}
          {upload.status === "failed" ? (
            <>
              <ErrorText>
                <span className="visually-hidden">{upload.fileName} was not sent. </span>
                {upload.error}
              </ErrorText>
              <div className="upload__actions">
                {upload.canRetry ? (
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => onRetry(upload.clientId)}
                  >
                    Try again
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onDismiss(upload.clientId)}
                >
                  Dismiss
                </button>
              </div>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
