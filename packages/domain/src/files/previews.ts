/**
 * FILE-7: what a file shows before it is opened. Images (JPEG, PNG, HEIC) get two renditions made
 * on the server, without metadata (no EXIF, no GPS): a thumbnail for the message and a display
 * size for the viewer. PDFs open in a viewer in the page from the file itself. Every other type
 * shows as a file card.
 */
export const previewRules = {
  /** Longest side of the thumbnail, in pixels (twice the largest size it is shown at). */
  thumbnailPixels: 480,
  /** Longest side of the display rendition, in pixels. */
  displayPixels: 2048,
  /** The type every rendition is encoded as. */
  renditionType: "image/webp",
  /** The image types with renditions. */
  imageTypes: ["image/jpeg", "image/png", "image/heic"] as readonly string[],
  /** An image with more pixels than this is not decoded (a decompression bomb): it shows as a file card. */
  maxInputPixels: 100_000_000,
} as const;

/** The renditions of an image, by name. */
export type RenditionName = "thumbnail" | "display";

/** The renditions every previewed image has. */
export const renditionNames: readonly RenditionName[] = ["thumbnail", "display"];

/** How a file opens in the page (FILE-7). */
export type PreviewKind = "image" | "pdf" | "none";

/** How a file of `contentType` opens in the page. */
export function previewKindOf(contentType: string): PreviewKind {
  const type = contentType.toLowerCase();
  if (previewRules.imageTypes.includes(type)) return "image";
  if (type === "application/pdf") return "pdf";
  return "none";
}

/**
 * The storage key of a rendition: the file's own random key with the rendition's name, so it
 * carries no PHI (FILE-4) and the file's deletion knows every key to remove (DEL-2).
 */
export function renditionKey(storageKey: string, rendition: RenditionName): string {
  return `${storageKey}.${rendition}`;
}

/** Every object stored for a file: the original and each rendition it may have (DEL-2). */
export function storedObjectKeys(storageKey: string, contentType: string): string[] {
  if (previewKindOf(contentType) !== "image") return [storageKey];
  return [storageKey, ...renditionNames.map((name) => renditionKey(storageKey, name))];
}

/** Where a file's renditions stand: made (with the display size), or the image could not be read. */
export type FilePreview =
  | { readonly state: "ready"; readonly width: number; readonly height: number }
  | { readonly state: "failed" };

/** One rendition as the previewer made it: bytes of {@link previewRules}' type, without metadata. */
export interface Rendition {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Makes an image's renditions (FILE-7): decodes the original, turns it upright, scales it to
 * within each size and encodes it without any metadata. Returns null when the bytes cannot be
 * decoded as an image within {@link previewRules}.
 */
export interface ImagePreviewer {
  render(
    original: Uint8Array,
    contentType: string,
    sizes: Readonly<Record<RenditionName, number>>,
  ): Promise<Record<RenditionName, Rendition> | null>;
}

/** One shared image waiting for its renditions: ids only. */
export interface FilePreviewJob {
  readonly clinicId: string;
  readonly fileId: string;
}

/**
 * Where preview jobs wait (FILE-7), bound to the unit of work: scheduled with the file's sharing
 * or not at all. Scheduling one already waiting changes nothing.
 */
export interface FilePreviewQueue {
  schedule(job: FilePreviewJob): Promise<void>;
}
