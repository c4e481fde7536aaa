import { allow, type Decision, deny } from "../shared/Decision";

const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** FILE-5: the name endings each allowed type may carry, lower case and without the dot. */
export const extensionsByType: Readonly<Record<string, readonly string[]>> = {
  "application/pdf": ["pdf"],
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
  "image/heic": ["heic", "heif"],
  "text/plain": ["txt", "csv"],
  [docx]: ["docx"],
  [xlsx]: ["xlsx"],
};

/** The types whose files are zip containers, measured before they are accepted (FILE-5). */
export const archiveTypes: ReadonlySet<string> = new Set([docx, xlsx]);

/**
 * FILE-5: endings refused whatever the bytes, because opening such a file runs code or renders a
 * page: programs, scripts, shortcuts, installers, disk images and markup.
 */
export const refusedExtensions: ReadonlySet<string> = new Set([
  // Markup a browser or mail client renders.
  ...["html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt"],
  ...["hta", "htc", "chm", "swf"],
  // Scripts.
  ...["js", "mjs", "cjs", "jse", "vbs", "vbe", "wsf", "wsh", "wsc", "ws", "sct", "ps1", "psm1", "psd1"],
  ...["bat", "cmd", "sh", "bash", "zsh", "csh", "ksh", "command", "php", "py", "pl", "rb", "jar"],
  // Programs, installers, shortcuts and system files.
  ...["exe", "com", "scr", "pif", "cpl", "dll", "sys", "msi", "msp", "mst", "msc", "gadget"],
  ...["lnk", "url", "scf", "inf", "reg", "application", "appref-ms", "app", "dmg", "pkg"],
  ...["apk", "deb", "rpm", "iso", "img", "vhd", "vhdx", "desktop"],
]);

/**
 * The ending of a file name, lower case and without the dot, or null when there is none. Trailing
 * dots and spaces do not count: Windows drops them when saving, so "page.html." opens as a page.
 */
export function fileExtension(fileName: string): string | null {
  const name = fileName.replace(/[.\s]+$/u, "");
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || dot === name.length - 1) return null;
  return name.slice(dot + 1).toLowerCase();
}

/** The allowed type a name's ending stands for, or null when it stands for none. */
export function typeOfExtension(extension: string | null): string | null {
  if (extension === null) return null;
  for (const [type, extensions] of Object.entries(extensionsByType)) {
    if (extensions.includes(extension)) return type;
  }
  return null;
}

/**
 * FILE-5, before anything is uploaded: a name ending in an executable or markup extension is
 * refused whatever the bytes; any other ending must be one of an allowed type's.
 */
export function checkFileName(fileName: string): Decision {
  const extension = fileExtension(fileName);
  if (extension !== null && refusedExtensions.has(extension)) return deny("FILE_NAME_REFUSED");
  if (typeOfExtension(extension) === null) return deny("FILE_TYPE_NOT_ALLOWED");
  return allow;
}

/** Types the inspection reports for text that holds markup; never accepted (FILE-5). */
export const markupTypes: ReadonlySet<string> = new Set([
  "text/html",
  "application/xhtml+xml",
  "image/svg+xml",
  "application/xml",
  "text/xml",
  "application/hta",
]);
