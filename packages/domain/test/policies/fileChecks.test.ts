import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BlobInspection,
  checkFileName,
  checkUploadedFile,
  fileExtension,
  inspectionLimits,
} from "../../src/files/index";

// FILE-1 and FILE-5, restated from PRODUCT.md: 25 MB; PDF, JPEG, PNG, HEIC, plain text, DOCX,
// XLSX; the ending must match the bytes; DOCX/XLSX inflate to at most 100 MB and 100×.
const MB = 1024 * 1024;
const maxBytes = 25 * MB;
const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const namedAs: readonly (readonly [string, string])[] = [
  ["scan.pdf", "application/pdf"],
  ["photo.jpg", "image/jpeg"],
  ["photo.JPEG", "image/jpeg"],
  ["photo.png", "image/png"],
  ["IMG_0001.HEIC", "image/heic"],
  ["notes.txt", "text/plain"],
  ["values.csv", "text/plain"],
  ["letter.docx", docx],
  ["sheet.xlsx", xlsx],
];

const found = (
  sizeBytes: number,
  detectedType: string | null,
  more: Partial<BlobInspection> = {},
): BlobInspection => ({
  sizeBytes,
  detectedType,
  // An office document as it usually is: intact, inflating to about its own size.
  ...(detectedType?.toLowerCase() === docx || detectedType?.toLowerCase() === xlsx
    ? { archive: { inflatedBytes: Math.max(0, sizeBytes), intact: true } }
    : {}),
  ...more,
});

describe("checkFileName", () => {
  it.each([
    "page.html",
    "page.HTM",
    "drawing.svg",
    "script.js",
    "app.hta",
    "setup.exe",
    "run.bat",
    "shortcut.lnk",
    "results.pdf.exe",
    "page.html.",
    "page.html . ",
    "macro.vbs",
    "x.ps1",
  ])("FILE-5: %j ends in an executable or markup extension: FILE_NAME_REFUSED", (name) => {
    expect(checkFileName(name)).toEqual({ allowed: false, reason: "FILE_NAME_REFUSED" });
  });

  it.each(["random.bin", "archive.zip", "no-extension", ".pdf", "trailing.", "movie.mp4", "old.doc"])(
    "FILE-5: %j has no allowed type's ending: FILE_TYPE_NOT_ALLOWED",
    (name) => {
      expect(checkFileName(name)).toEqual({ allowed: false, reason: "FILE_TYPE_NOT_ALLOWED" });
    },
  );

  it.each(namedAs.map(([name]) => name))("FILE-5: %j is allowed", (name) => {
    expect(checkFileName(name)).toEqual({ allowed: true });
  });

  it("FILE-5: the ending is what follows the last dot, in lower case, trailing dots and spaces ignored", () => {
    expect(fileExtension("Results.2025.PDF")).toBe("pdf");
    expect(fileExtension("page.html. ")).toBe("html");
    expect(fileExtension("README")).toBeNull();
    expect(fileExtension(".bashrc")).toBeNull();
  });
});

describe("checkUploadedFile", () => {
  it("FILE-1: nothing uploaded is refused with FILE_NOT_UPLOADED", () => {
    expect(checkUploadedFile("scan.pdf", null)).toEqual({ allowed: false, reason: "FILE_NOT_UPLOADED" });
  });

  it.each(namedAs)("FILE-5: %j whose bytes are %s is accepted", (name, detected) => {
    expect(checkUploadedFile(name, found(2000, detected))).toEqual({ allowed: true });
    expect(checkUploadedFile(name, found(2000, detected.toUpperCase()))).toEqual({ allowed: true });
  });

  it.each([
    ["photo.pdf", "image/png", "PDF", "PNG"],
    ["scan.png", "application/pdf", "PNG", "PDF"],
    ["letter.docx", xlsx, "DOCX", "XLSX"],
    ["notes.txt", "image/jpeg", "plain text", "JPEG"],
    ["photo.jpg", "text/plain", "JPEG", "plain text"],
  ])(
    "FILE-5: %j whose bytes are %s is refused: the ending must match the bytes",
    (name, detected, expected, was) => {
      expect(checkUploadedFile(name, found(2000, detected))).toEqual({
        allowed: false,
        reason: "FILE_TYPE_MISMATCH",
        details: { expected, found: was },
      });
    },
  );

  it.each(["scan.pdf", "photo.jpg", "letter.docx"])(
    "FILE-5: %j with no recognisable bytes is refused as not what its name says",
    (name) => {
      const verdict = checkUploadedFile(name, found(2000, null));
      expect(verdict).toMatchObject({ allowed: false, reason: "FILE_TYPE_MISMATCH" });
      expect(verdict.allowed === false && verdict.details?.found).toBe("unknown");
    },
  );

  it.each([
    ["invoice.pdf", "application/x-msdownload"],
    ["photo.jpg", "image/gif"],
    ["notes.txt", "application/zip"],
    ["notes.txt", "application/x-elf"],
  ])("FILE-1: %j whose bytes are %s, a type not allowed: FILE_TYPE_NOT_ALLOWED", (name, detected) => {
    expect(checkUploadedFile(name, found(2000, detected))).toEqual({
      allowed: false,
      reason: "FILE_TYPE_NOT_ALLOWED",
    });
  });

  it("FILE-5: text that is not UTF-8 (or holds control characters) is FILE_TEXT_NOT_PLAIN", () => {
    expect(checkUploadedFile("notes.txt", found(512, null))).toEqual({
      allowed: false,
      reason: "FILE_TEXT_NOT_PLAIN",
    });
  });

  it.each(["text/html", "image/svg+xml", "application/xml", "application/hta"])(
    "FILE-5: text holding markup (%s) is FILE_HAS_MARKUP under any name",
    (detected) => {
      for (const name of ["notes.txt", "scan.pdf"]) {
        expect(checkUploadedFile(name, found(300, detected))).toEqual({
          allowed: false,
          reason: "FILE_HAS_MARKUP",
        });
      }
    },
  );

  it("FILE-5: markup hidden behind a signature (a polyglot) is FILE_HAS_MARKUP", () => {
    expect(checkUploadedFile("results.pdf", found(900, "application/pdf", { hidesMarkup: true }))).toEqual({
      allowed: false,
      reason: "FILE_HAS_MARKUP",
    });
    expect(checkUploadedFile("results.pdf", found(900, "application/pdf", { hidesMarkup: false }))).toEqual({
      allowed: true,
    });
  });

  it("FILE-5: a refused ending is refused after the upload too, whatever the bytes", () => {
    expect(checkUploadedFile("results.html", found(900, "application/pdf"))).toEqual({
      allowed: false,
      reason: "FILE_NAME_REFUSED",
    });
  });

  it("FILE-5: a DOCX/XLSX inflating past 100 MB or past 100× its size is FILE_INFLATES_TOO_MUCH", () => {
    const refusal = {
      allowed: false,
      reason: "FILE_INFLATES_TOO_MUCH",
      details: { maxBytes: 100 * MB, maxRatio: 100 },
    };
    const measured = (sizeBytes: number, inflatedBytes: number) =>
      found(sizeBytes, docx, { archive: { inflatedBytes, intact: true } });
    expect(checkUploadedFile("a.docx", measured(2 * MB, 100 * MB))).toEqual({ allowed: true });
    expect(checkUploadedFile("a.docx", measured(2 * MB, 100 * MB + 1))).toEqual(refusal);
    expect(checkUploadedFile("a.docx", measured(100_000, 10_000_000))).toEqual({ allowed: true });
    expect(checkUploadedFile("a.docx", measured(100_000, 10_000_001))).toEqual(refusal);
    expect(
      checkUploadedFile("a.xlsx", found(MB, xlsx, { archive: { inflatedBytes: 1024 * MB, intact: true } })),
    ).toEqual(refusal);
    expect(inspectionLimits.inflateLimit(MB)).toBe(100 * MB);
    expect(inspectionLimits.inflateLimit(10 * MB)).toBe(100 * MB);
    expect(inspectionLimits.inflateLimit(1000)).toBe(100_000);
  });

  it("FILE-5: a DOCX/XLSX that could not be measured, or whose entries lie about their size, is FILE_DAMAGED", () => {
    const damaged = { allowed: false, reason: "FILE_DAMAGED" };
    expect(checkUploadedFile("a.docx", { sizeBytes: 2000, detectedType: docx })).toEqual(damaged);
    expect(
      checkUploadedFile("a.xlsx", found(2000, xlsx, { archive: { inflatedBytes: 10, intact: false } })),
    ).toEqual(damaged);
  });

  it("FILE-1: the stored size is checked too (the declaration cannot be trusted)", () => {
    expect(checkUploadedFile("scan.pdf", found(maxBytes, "application/pdf"))).toEqual({ allowed: true });
    expect(checkUploadedFile("scan.pdf", found(maxBytes + 1, "application/pdf"))).toEqual({
      allowed: false,
      reason: "FILE_TOO_LARGE",
      details: { maxBytes },
    });
    expect(checkUploadedFile("notes.txt", found(0, null))).toEqual({ allowed: false, reason: "FILE_EMPTY" });
  });

  it("FILE-1/FILE-5: property — accepted exactly when the size fits and the bytes are the type the name says", () => {
    const types = [...new Set(namedAs.map(([, type]) => type))];
    const typeArb = fc.constantFrom(...types, "application/zip", "text/html", "image/gif", "Image/PNG");
    fc.assert(
      fc.property(
        fc.constantFrom(...namedAs),
        fc.option(typeArb, { nil: null }),
        fc.integer({ min: -2, max: maxBytes + 2 }),
        fc.boolean(),
        ([name, type], detected, sizeBytes, hidesMarkup) => {
          const accepted =
            sizeBytes >= 1 && sizeBytes <= maxBytes && detected?.toLowerCase() === type && !hidesMarkup;
          expect(checkUploadedFile(name, found(sizeBytes, detected, { hidesMarkup })).allowed).toBe(accepted);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
