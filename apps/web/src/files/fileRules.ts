/**
 * FILE-1's limits as the browser checks them before uploading, to save a wasted upload. The
 * domain's `fileRules` are the authority: the server checks the declaration again and sniffs the
 * bytes after the upload (a test keeps the two lists equal).
 */
export const maxFileBytes = 25 * 1024 * 1024;

/** The allowed types and how people call them. */
export const allowedFileTypes: Readonly<Record<string, string>> = {
  "application/pdf": "PDF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/heic": "HEIC",
  "text/plain": "plain text",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
};

// Browsers leave the type empty for some files (HEIC on most desktops), so the extension fills in.
const typeByExtension: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  heic: "image/heic",
  heif: "image/heic",
  txt: "text/plain",
  // Spreadsheet exports are plain text to the server (FILE-5), whatever type the browser gives them.
  csv: "text/plain",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** The `accept` attribute of the file picker. */
export const acceptAttribute = [
  ...Object.keys(allowedFileTypes),
  ...Object.keys(typeByExtension).map((e) => `.${e}`),
].join(",");

/** The type to declare for a file: the browser's when it is one we know, else by extension. */
export function declaredType(file: { name: string; type: string }): string {
  const type = file.type.toLowerCase();
  if (Object.hasOwn(allowedFileTypes, type)) return type;
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  return typeByExtension[extension] ?? (type || "application/octet-stream");
}

const typeList = (() => {
  const names = [...new Set(Object.values(allowedFileTypes))];
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
})();

/** Why a file cannot be shared, in the server's words, or null when it may be uploaded. */
export function checkFileBeforeUpload(file: { name: string; type: string; size: number }): string | null {
  if (file.size <= 0) return "This file is empty. Choose another file.";
  if (file.size > maxFileBytes) return "Files can be up to 25 MB. Choose a smaller file.";
  if (!Object.hasOwn(allowedFileTypes, declaredType(file)))
    return `This type of file can't be shared. Use ${typeList}.`;
  return null;
}

/** A size as people read it: "340 KB", "2.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
