/**
 * Saves a shared file under its name (FILE-3). Storage keeps no file name (REC-2) and a name in a
 * URL would be PHI in a URL (SEC-5), so the bytes are fetched through the short-lived link and
 * saved from memory under the name this reader was shown.
 */
export async function saveFile(url: string, fileName: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error("The file could not be downloaded. Try again.");
  saveBlob(fileName, await response.blob());
}

/** Saves bytes held in memory as a download named `fileName`. */
export function saveBlob(fileName: string, blob: Blob): void {
  const objectUrl = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the bytes to the browser's download; the memory can go.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 0);
}
