import type { StoredFile } from "./StoredFile";

/** File records of the current clinic. */
export interface FileStore {
  get(fileId: string): Promise<StoredFile | null>;
  create(file: StoredFile): Promise<void>;
  /** Marks an upload confirmed, with the size and type checked from the bytes. */
  markReady(fileId: string, checked: { sizeBytes: number; contentType: string }): Promise<void>;
  /** Removes the record for good, name included (DEL-2). */
  remove(fileId: string): Promise<void>;
  /** Pending uploads created before `before`, for the cleanup (FILE-2). */
  stalePending(before: Date, limit: number): Promise<StoredFile[]>;
}

/** What storage says about an uploaded object. */
export interface BlobInspection {
  readonly sizeBytes: number;
  /** The MIME type detected from the object's first bytes, or null when unrecognised. */
  readonly detectedType: string | null;
}

/** A short-lived URL the browser uses to move bytes straight to or from storage (FILE-1). */
export interface PresignedUrl {
  readonly url: string;
  readonly method: "PUT" | "GET";
  /** Headers the client must send with the request (for uploads). */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: Date;
}

/** Object storage for file bytes; the API never streams them itself (FILE-1). */
export interface BlobStore {
  /**
   * A URL that accepts exactly one PUT of this key, size and type. `fileName` becomes the object's
   * download name (stored with the object, sent by the browser as a header the URL signs); it is
   * never part of a URL or key (FILE-4, SEC-5).
   */
  presignUpload(
    key: string,
    upload: { sizeBytes: number; contentType: string; fileName: string; expiresInSeconds: number },
  ): Promise<PresignedUrl>;
  /**
   * A download URL that sends the file under the name it was uploaded with; the URL carries only
   * the key, signature, expiry and content type, no name (SEC-5).
   */
  presignDownload(
    key: string,
    download: { contentType: string; expiresInSeconds: number },
  ): Promise<PresignedUrl>;
  /** Size and sniffed type of an uploaded object, or null when nothing was uploaded. */
  inspect(key: string): Promise<BlobInspection | null>;
  /** Deletes the object; deleting a missing object is not an error. */
  remove(key: string): Promise<void>;
}
