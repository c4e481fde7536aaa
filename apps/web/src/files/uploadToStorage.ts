/** A presigned upload as `files.requestUpload` returns it. */
export interface PresignedUpload {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Why the storage refused or could not be reached. */
export class UploadFailed extends Error {
  override readonly name = "UploadFailed";
}

/**
 * Puts the bytes straight into object storage (FILE-1: they never pass through the API) with
 * every header the presigned URL was signed with, Content-Disposition included: leaving one out
 * breaks the signature. XMLHttpRequest because fetch cannot report upload progress.
 */
export function uploadToStorage(
  upload: PresignedUpload,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new UploadFailed("The file could not be uploaded. Try again."));
    };
    xhr.onerror = () =>
      reject(new UploadFailed("The upload was interrupted. Check your connection and try again."));
    xhr.onabort = () => reject(new UploadFailed("The upload was cancelled."));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
