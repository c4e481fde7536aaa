import { allow, type Decision, deny } from "../shared/Decision";
import type { BlobInspection } from "./ports";
import { fileRules } from "./StoredFile";

/** Longest file name kept, in characters. */
export const maxFileNameLength = 255;

/**
 * The name shown for a file (FILE-4: as uploaded): path parts and control characters removed,
 * white space folded, at most {@link maxFileNameLength} characters. Null when nothing is left.
 */
export function displayFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? "";
  // Control characters (C0 and C1) and invisible format characters such as bidirectional
  // overrides go: they could hide a file's real extension ("invoice\u202Efdp.exe").
  const cleaned = base
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  if (cleaned.length === 0 || cleaned === "." || cleaned === "..") return null;
  return [...cleaned].slice(0, maxFileNameLength).join("");
}

/** True when `contentType` is one of FILE-1's allowed types. */
export function isAllowedFileType(contentType: string): boolean {
  return Object.hasOwn(fileRules.allowedTypes, contentType.toLowerCase());
}

/** FILE-1, before the upload: the declared size and type must be within the rules. */
export function checkFileDeclaration(file: { sizeBytes: number; contentType: string }): Decision {
  if (!Number.isInteger(file.sizeBytes) || file.sizeBytes <= 0) return deny("FILE_EMPTY");
  if (file.sizeBytes > fileRules.maxBytes) return deny("FILE_TOO_LARGE", { maxBytes: fileRules.maxBytes });
  if (!isAllowedFileType(file.contentType)) return deny("FILE_TYPE_NOT_ALLOWED");
  return allow;
}

/**
 * FILE-1, after the upload: the stored bytes decide, not the name or the declared type. Plain text
 * has no signature, so it is accepted only when it was declared as text and nothing else was
 * detected; every other type must be detected from the bytes.
 */
export function checkUploadedFile(declaredType: string, inspection: BlobInspection | null): Decision {
  if (!inspection) return deny("FILE_NOT_UPLOADED");
  if (inspection.sizeBytes <= 0) return deny("FILE_EMPTY");
  if (inspection.sizeBytes > fileRules.maxBytes)
    return deny("FILE_TOO_LARGE", { maxBytes: fileRules.maxBytes });
  const detected = inspection.detectedType?.toLowerCase() ?? null;
  if (detected === null)
    return declaredType.toLowerCase() === "text/plain" ? allow : deny("FILE_TYPE_NOT_ALLOWED");
  return isAllowedFileType(detected) ? allow : deny("FILE_TYPE_NOT_ALLOWED");
}
