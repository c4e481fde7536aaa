import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClamdScanner, ScannerUnavailableError } from "../../src/clamav/index";
import { zipArchive } from "../s3/samples";
import { eicar, startTestClamd, type TestClamd } from "../support/clamd";

// FILE-6 against a real clamd started by the test on a signature database it wrote.

let clamd: TestClamd;
beforeAll(async () => {
  clamd = await startTestClamd();
}, 60_000);
afterAll(async () => {
  await clamd?.close();
});

const text = new TextEncoder();

async function* stream(bytes: Uint8Array, pieceBytes = 100_000): AsyncIterable<Uint8Array> {
  for (let start = 0; start < bytes.length; start += pieceBytes)
    yield bytes.subarray(start, start + pieceBytes);
}

/** A PDF with the EICAR string in an uncompressed content stream. */
function pdfWithEicar(): Uint8Array {
  return text.encode(
    `%PDF-1.4\n1 0 obj\n<< /Length ${eicar.length} >>\nstream\n${eicar}\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** A Word document whose (deflated) body part is the EICAR string. */
function docxWithEicar(): Uint8Array {
  return zipArchive([
    { name: "[Content_Types].xml", data: text.encode("<Types/>") },
    { name: "word/document.xml", data: text.encode(eicar) },
  ]);
}

describe("clamd scanner", () => {
  const both = () =>
    [
      ["Unix socket", createClamdScanner({ socketPath: clamd.socketPath })],
      ["TCP", createClamdScanner({ host: clamd.host, port: clamd.port })],
    ] as const;

  it("FILE-6: a clean file is clean, over the Unix socket and over TCP", async () => {
    const clean = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) & 0xff);
    for (const [, scanner] of both()) expect(await scanner.scan(stream(clean))).toEqual({ infected: false });
  });

  it.each([
    ["the EICAR file itself", () => text.encode(eicar)],
    ["EICAR inside a PDF", pdfWithEicar],
    ["EICAR inside a DOCX (deflated in the zip)", docxWithEicar],
  ])("FILE-6: %s is infected", async (_, make) => {
    for (const [, scanner] of both())
      expect(await scanner.scan(stream(make(), 7))).toEqual({ infected: true });
  });

  it("FILE-6: an unreachable clamd is ScannerUnavailableError, and answers again once back", async () => {
    const scanner = createClamdScanner({ socketPath: clamd.socketPath }, { timeoutMs: 5000 });
    const tcp = createClamdScanner({ host: clamd.host, port: clamd.port }, { timeoutMs: 5000 });
    await clamd.stop();
    try {
      await expect(scanner.scan(stream(text.encode(eicar)))).rejects.toBeInstanceOf(ScannerUnavailableError);
      await expect(tcp.scan(stream(text.encode("hello")))).rejects.toBeInstanceOf(ScannerUnavailableError);
      expect(await scanner.ping()).toBe(false);
    } finally {
      await clamd.start();
    }
    expect(await scanner.scan(stream(text.encode(eicar)))).toEqual({ infected: true });
  }, 60_000);
});
