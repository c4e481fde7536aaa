import type { PersonRef } from "../people/people";
import type { DomainErrorCode } from "../shared/DomainError";
import type { FilePreview } from "./previews";
import type { StoredFile } from "./StoredFile";

/** A file refused after its upload: ids and the reason only, nothing of its name or content. */
export interface FileRefusal {
  readonly fileId: string;
  readonly conversationId: string;
  readonly uploader: PersonRef;
  readonly reason: DomainErrorCode;
  readonly refusedAt: Date;
}

/** A file record removed by {@link FileStore.removeAll}. */
export interface RemovedFile {
  readonly fileId: string;
  readonly storageKey: string;
  readonly contentType: string;
  /** No other record shares the stored object: it and its renditions may go. */
  readonly lastReference: boolean;
}

/** File records of the current clinic. */
export interface FileStore {
  get(fileId: string): Promise<StoredFile | null>;
  create(file: StoredFile): Promise<void>;
  /** Marks an upload confirmed, with the size and type checked from the bytes. */
  markReady(fileId: string, checked: { sizeBytes: number; contentType: string }): Promise<void>;
  /** Marks an upload whose bytes passed the checks as waiting for its malware scan (FILE-6). */
  markChecking(fileId: string, checked: { sizeBytes: number; contentType: string }): Promise<void>;
  /** Keeps why a file was refused after its upload, without its name (FILE-6: the sender is told). */
  recordRefusal(refusal: FileRefusal): Promise<void>;
  /** Why a file of this uploader was refused, or null. */
  refusalOf(fileId: string, uploader: PersonRef): Promise<FileRefusal | null>;
  /** Forgets the refusals made before `before`: their senders have long been told. */
  forgetRefusals(before: Date): Promise<void>;
  /** Notes the renditions made for an image, or that it could not be read (FILE-7). */
  notePreview(fileId: string, preview: FilePreview): Promise<void>;
  /** The uploader's own files in the conversation still waiting for their malware scan (FILE-6). */
  checkingOf(conversationId: string, uploader: PersonRef): Promise<StoredFile[]>;
  /**
   * Removes the record for good, name included (DEL-2). True when no other record (another
   * recipient's copy of a broadcast file, or the broadcast itself) shares its stored object, which
   * may then go.
   */
  remove(fileId: string): Promise<boolean>;
  /**
   * {@link remove} for many records at once: answers each record that was there, with its stored
   * object and whether no other record shares that object any more (then it may go).
   */
  removeAll(fileIds: readonly string[]): Promise<RemovedFile[]>;
  /** Pending uploads created before `before`, for the cleanup (FILE-2). */
  stalePending(before: Date, limit: number): Promise<StoredFile[]>;
}

/**
 * What storage found in an uploaded object: facts only; the domain's file rules decide (FILE-5).
 */
export interface BlobInspection {
  readonly sizeBytes: number;
  /**
   * The MIME type found in the bytes: a signature's; `text/plain` for UTF-8 text without control
   * characters or markup; a markup type (`text/html`, `image/svg+xml`, `application/xml`,
   * `application/hta`) for text holding markup; null when nothing was recognised.
   */
  readonly detectedType: string | null;
  /**
   * True when markup a browser would render sits in the leading bytes behind another type's
   * signature (a polyglot). Absent means none was found.
   */
  readonly hidesMarkup?: boolean;
  /** For zip containers: how far their entries inflate. Absent when not measured. */
  readonly archive?: ArchiveMeasure;
}

/** How far a zip container's entries inflate. */
export interface ArchiveMeasure {
  /** Bytes inflated, counted until they passed the limit asked for (then at least that limit + 1). */
  readonly inflatedBytes: number;
  /** False when the archive could not be read to its end or its entries are not the size they declare. */
  readonly intact: boolean;
}

/** The bounds an inspection stops at, so a hostile file costs little to refuse. */
export interface InspectionLimits {
  /** Objects larger than this are not read beyond their size. */
  readonly maxBytes: number;
  /** How many inflated bytes a zip container of `sizeBytes` may hold; counting stops past it. */
  inflateLimit(sizeBytes: number): number;
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
   * A URL that accepts exactly one PUT of this key, size and type. Storage never learns the file's
   * name (REC-1, REC-2): a name kept on the object would outlive the deletion of its data key, in
   * object versions and storage backups. The reader's app names the saved file itself.
   */
  presignUpload(
    key: string,
    upload: { sizeBytes: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedUrl>;
  /**
   * A download URL carrying only the key, signature, expiry and content type, no name (SEC-5);
   * storage serves the bytes as an attachment without a name.
   */
  presignDownload(
    key: string,
    download: { contentType: string; expiresInSeconds: number },
  ): Promise<PresignedUrl>;
  /** What the uploaded object's bytes are, within `limits`, or null when nothing was uploaded. */
  inspect(key: string, limits: InspectionLimits): Promise<BlobInspection | null>;
  /** The object's bytes, streamed, or null when nothing is stored under the key. */
  read(key: string): Promise<AsyncIterable<Uint8Array> | null>;
  /** Stores bytes the server made itself (a rendition, FILE-7) under `key`. */
  write(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Deletes the object; deleting a missing object is not an error. */
  remove(key: string): Promise<void>;
}

/** What a malware scan found (FILE-6). */
export type ScanVerdict = { readonly infected: false } | { readonly infected: true };

/**
 * A malware scanner (FILE-6). `scan` throws when the scanner cannot be reached or cannot finish:
 * the file then waits and the scan is tried again.
 */
export interface MalwareScanner {
  scan(content: AsyncIterable<Uint8Array>): Promise<ScanVerdict>;
}

/** One file waiting for its malware scan: ids only. */
export interface FileScan {
  readonly clinicId: string;
  readonly fileId: string;
}

/**
 * Where scans wait to be run (FILE-6), bound to the unit of work: a scan is scheduled with the
 * file's move to "checking" or not at all. Scheduling one already waiting changes nothing.
 */
export interface FileScanQueue {
  schedule(scan: FileScan): Promise<void>;
}
