/**
 * Hostile files made in code (FILE-5): each with the name and type a sender would declare and the
 * verdict the file rules must reach, at the upload request (the name alone) or after the upload
 * (the bytes). The zip bombs are small on disk and inflate to 1 GiB.
 */

import { crc32, createDeflateRaw } from "node:zlib";
import type { DomainErrorCode } from "@clinic-chat/domain";
import {
  contentTypes,
  docxSample,
  exeSample,
  htmlSample,
  pdfSample,
  pngSample,
  relationships,
  relationshipTypes,
  textSample,
  xmlEntry,
  zipArchive,
} from "./samples";

export interface HostileFile {
  /** What the file is, for the test's name. */
  readonly what: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly body: () => Promise<Uint8Array>;
  /** The refusal expected, or "accepted" for the files that must still pass. */
  readonly verdict: DomainErrorCode | "accepted";
  /** Whether the name alone is refused, before any upload URL is issued. */
  readonly refusedAtRequest?: boolean;
}

const text = new TextEncoder();
const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><circle r="5"/></svg>\n';
const jscript = 'var shell = new ActiveXObject("WScript.Shell");\nshell.Run("cmd /c calc.exe");\n';
const hta =
  '<hta:application id="app" windowstate="minimize"/>\n<script language="VBScript">CreateObject("WScript.Shell").Run "calc"</script>\n';

/** Bytes from a fixed seed, so a failure reproduces. */
export function randomBytes(length: number, seed = 0x5eed): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** A PDF header followed by a web page: a PDF to a signature check, a page to a browser's sniffer. */
export function pdfHtmlPolyglot(): Uint8Array {
  return new Uint8Array([...text.encode("%PDF-1.4\n"), ...htmlSample(), ...pdfSample().subarray(9)]);
}

/** A real PNG with a web page in a text chunk right after its header. */
function pngHtmlPolyglot(): Uint8Array {
  const png = pngSample();
  const page = text.encode("tEXtComment\0<html><script>alert(document.cookie)</script></html>");
  const chunk = new Uint8Array(12 + page.length - 4);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, page.length - 4);
  chunk.set(page, 4);
  view.setUint32(chunk.length - 4, crc32(page));
  // After the 8-byte signature and the 25-byte IHDR chunk.
  return new Uint8Array([...png.subarray(0, 33), ...chunk, ...png.subarray(33)]);
}

let inflatedGiB: Promise<{ deflated: Uint8Array; crc: number }> | undefined;

/** 1 GiB of zeros, deflated once per test run (about 1 MB). */
function gibOfZerosDeflated(): Promise<{ deflated: Uint8Array; crc: number }> {
  inflatedGiB ??= (async () => {
    const mib = Buffer.alloc(1024 * 1024);
    const deflate = createDeflateRaw({ level: 9, memLevel: 9 });
    const parts: Buffer[] = [];
    deflate.on("data", (part: Buffer) => parts.push(part));
    const ended = new Promise((resolve, reject) => deflate.on("end", resolve).on("error", reject));
    let crc = 0;
    for (let index = 0; index < 1024; index++) {
      crc = crc32(mib, crc);
      if (!deflate.write(mib)) await new Promise((resolve) => deflate.once("drain", resolve));
    }
    deflate.end();
    await ended;
    return { deflated: Buffer.concat(parts), crc };
  })();
  return inflatedGiB;
}

/** A Word document whose body inflates to 1 GiB, declaring `declaredSize` for it. */
export async function docxBomb(declaredSize: number): Promise<Uint8Array> {
  const { deflated, crc } = await gibOfZerosDeflated();
  return zipArchive([
    contentTypes({
      "/word/document.xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    }),
    relationships("_rels/.rels", { [`${relationshipTypes}/officeDocument`]: "word/document.xml" }),
    { name: "word/document.xml", data: new Uint8Array(0), packed: { deflated, crc, declaredSize } },
  ]);
}

const now = (bytes: Uint8Array) => async () => bytes;
const utf16 = (value: string) => new Uint8Array([0xff, 0xfe, ...Buffer.from(value, "utf16le")]);

/** The corpus: what probing found accepted wrongly, polyglots, bombs, and files that must pass. */
export const hostileFiles: readonly HostileFile[] = [
  {
    what: "HTML declared text, as .html",
    fileName: "results.html",
    contentType: "text/plain",
    body: now(htmlSample()),
    verdict: "FILE_NAME_REFUSED",
    refusedAtRequest: true,
  },
  {
    what: "SVG declared text, as .svg",
    fileName: "chart.svg",
    contentType: "text/plain",
    body: now(text.encode(svg)),
    verdict: "FILE_NAME_REFUSED",
    refusedAtRequest: true,
  },
  {
    what: "JScript declared text, as .js",
    fileName: "update.js",
    contentType: "text/plain",
    body: now(text.encode(jscript)),
    verdict: "FILE_NAME_REFUSED",
    refusedAtRequest: true,
  },
  {
    what: "HTA declared text, as .hta",
    fileName: "viewer.hta",
    contentType: "text/plain",
    body: now(text.encode(hta)),
    verdict: "FILE_NAME_REFUSED",
    refusedAtRequest: true,
  },
  {
    what: "%PDF- then HTML, as results.html",
    fileName: "results.html",
    contentType: "application/pdf",
    body: now(pdfHtmlPolyglot()),
    verdict: "FILE_NAME_REFUSED",
    refusedAtRequest: true,
  },
  {
    what: "a PDF named with a trailing dot after .html",
    fileName: "results.html.",
    contentType: "application/pdf",
    body: now(pdfSample()),
    verdict: "FILE_NAME_REFUSED",
    refusedAtRequest: true,
  },
  {
    what: "512 random bytes, as .bin",
    fileName: "data.bin",
    contentType: "application/pdf",
    body: now(randomBytes(512)),
    verdict: "FILE_TYPE_NOT_ALLOWED",
    refusedAtRequest: true,
  },
  {
    what: "512 random bytes, as .txt",
    fileName: "data.txt",
    contentType: "text/plain",
    body: now(randomBytes(512)),
    verdict: "FILE_TEXT_NOT_PLAIN",
  },
  {
    what: "UTF-16 text, as .txt",
    fileName: "letter.txt",
    contentType: "text/plain",
    body: now(utf16("Dear patient")),
    verdict: "FILE_TEXT_NOT_PLAIN",
  },
  {
    what: "HTML declared text, as .txt",
    fileName: "notes.txt",
    contentType: "text/plain",
    body: now(htmlSample()),
    verdict: "FILE_HAS_MARKUP",
  },
  {
    what: "SVG declared text, as .txt",
    fileName: "notes.txt",
    contentType: "text/plain",
    body: now(text.encode(svg)),
    verdict: "FILE_HAS_MARKUP",
  },
  {
    what: "HTA declared text, as .txt",
    fileName: "notes.txt",
    contentType: "text/plain",
    body: now(text.encode(hta)),
    verdict: "FILE_HAS_MARKUP",
  },
  {
    what: "%PDF- then HTML (polyglot), as .pdf",
    fileName: "results.pdf",
    contentType: "application/pdf",
    body: now(pdfHtmlPolyglot()),
    verdict: "FILE_HAS_MARKUP",
  },
  {
    what: "a PNG carrying a web page (polyglot), as .png",
    fileName: "photo.png",
    contentType: "image/png",
    body: now(pngHtmlPolyglot()),
    verdict: "FILE_HAS_MARKUP",
  },
  {
    what: "GIF header then script (polyglot), as .txt",
    fileName: "notes.txt",
    contentType: "text/plain",
    body: now(text.encode("GIF89a/*\u0001\u0001*/=1;alert(document.cookie);\n")),
    verdict: "FILE_TYPE_NOT_ALLOWED",
  },
  {
    what: "a Windows program, as .pdf",
    fileName: "invoice.pdf",
    contentType: "application/pdf",
    body: now(exeSample()),
    verdict: "FILE_TYPE_NOT_ALLOWED",
  },
  {
    what: "a PNG, as .pdf",
    fileName: "scan.pdf",
    contentType: "application/pdf",
    body: now(pngSample()),
    verdict: "FILE_TYPE_MISMATCH",
  },
  {
    what: "a Word document, as .xlsx",
    fileName: "sheet.xlsx",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    body: now(docxSample()),
    verdict: "FILE_TYPE_MISMATCH",
  },
  {
    what: "a plain zip, as .docx",
    fileName: "letter.docx",
    contentType: docxType,
    body: now(zipArchive([xmlEntry("data.xml", "<data/>")])),
    verdict: "FILE_TYPE_NOT_ALLOWED",
  },
  {
    what: "a DOCX inflating to 1 GiB (declared)",
    fileName: "letter.docx",
    contentType: docxType,
    body: () => docxBomb(1024 ** 3),
    verdict: "FILE_INFLATES_TOO_MUCH",
  },
  {
    what: "a DOCX inflating to 1 GiB (declaring 1 KiB)",
    fileName: "letter.docx",
    contentType: docxType,
    body: () => docxBomb(1024),
    verdict: "FILE_DAMAGED",
  },
  {
    what: "a PDF",
    fileName: "results.pdf",
    contentType: "application/pdf",
    body: now(pdfSample()),
    verdict: "accepted",
  },
  {
    what: "UTF-8 text",
    fileName: "notes.txt",
    contentType: "text/plain",
    body: now(textSample()),
    verdict: "accepted",
  },
  {
    what: "a DOCX",
    fileName: "letter.docx",
    contentType: docxType,
    body: now(docxSample()),
    verdict: "accepted",
  },
  {
    what: "a PNG",
    fileName: "photo.png",
    contentType: "image/png",
    body: now(pngSample()),
    verdict: "accepted",
  },
];
