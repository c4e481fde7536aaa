import { allow, type Decision, deny } from "../shared/Decision";
import { archiveTypes, checkFileName, fileExtension, markupTypes, typeOfExtension } from "./fileTypes";
import type { BlobInspection, InspectionLimits } from "./ports";
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

/** How far an inspection reads (FILE-1 size, FILE-5 inflate limits). */
export const inspectionLimits: InspectionLimits = {
  maxBytes: fileRules.maxBytes,
  inflateLimit: (sizeBytes) =>
    Math.min(fileRules.maxInflatedBytes, fileRules.maxInflateRatio * Math.max(0, sizeBytes)),
};

/**
 * FILE-1 and FILE-5, after the upload: the stored bytes decide, not the declared type. The name's
 * ending must be allowed and match the type found in the bytes; markup is refused wherever it was
 * found; plain text must have been found to be UTF-8 text; a DOCX or XLSX must be intact and
 * inflate within the limits.
 */
export function checkUploadedFile(fileName: string, inspection: BlobInspection | null): Decision {
  if (!inspection) return deny("FILE_NOT_UPLOADED");
  if (inspection.sizeBytes <= 0) return deny("FILE_EMPTY");
  if (inspection.sizeBytes > fileRules.maxBytes)
    return deny("FILE_TOO_LARGE", { maxBytes: fileRules.maxBytes });
  const named = checkFileName(fileName);
  if (!named.allowed) return named;
  const expected = typeOfExtension(fileExtension(fileName)) ?? "";
  const detected = inspection.detectedType?.toLowerCase() ?? null;
  if ((detected !== null && markupTypes.has(detected)) || inspection.hidesMarkup === true)
    return deny("FILE_HAS_MARKUP");
  if (detected === null)
    return expected === "text/plain" ? deny("FILE_TEXT_NOT_PLAIN") : mismatch(expected, null);
  if (!isAllowedFileType(detected)) return deny("FILE_TYPE_NOT_ALLOWED");
  if (detected !== expected) return mismatch(expected, detected);
  if (archiveTypes.has(detected)) {
    const archive = inspection.archive;
    if (!archive?.intact) return deny("FILE_DAMAGED");
    if (archive.inflatedBytes > inspectionLimits.inflateLimit(inspection.sizeBytes))
      return deny("FILE_INFLATES_TOO_MUCH", {
        maxBytes: fileRules.maxInflatedBytes,
        maxRatio: fileRules.maxInflateRatio,
      });
  }
  return allow;
}

/** The name promises `expected`; the bytes are `found` (a type's name) or unrecognisable. */
function mismatch(expected: string, found: string | null): Decision {
  return deny("FILE_TYPE_MISMATCH", {
    expected: fileRules.allowedTypes[expected] ?? expected,
    found: found === null ? "unknown" : (fileRules.allowedTypes[found] ?? "other"),
  });
}
