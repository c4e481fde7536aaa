import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "../../src/s3/index";

/** The quoted fallback of a disposition value. */
function fallbackOf(disposition: string): string {
  return /filename="([^"]*)"/.exec(disposition)?.[1] ?? "(none)";
}

/** The name a modern browser shows: `filename*` decoded. */
function extendedNameOf(disposition: string): string {
  const encoded = /filename\*=UTF-8''([^;\s]*)$/.exec(disposition)?.[1];
  return encoded === undefined ? "(none)" : decodeURIComponent(encoded);
}

describe("attachmentDisposition", () => {
  it("FILE-4: an ASCII name is sent as is, as an attachment", () => {
    expect(attachmentDisposition("scan 2024-05.pdf")).toBe(
      "attachment; filename=\"scan 2024-05.pdf\"; filename*=UTF-8''scan%202024-05.pdf",
    );
  });

  it("FILE-4: the exact name survives in filename*, and the fallback keeps the letters of accented names", () => {
    const name = "Röntgen Müller – 東京.pdf";
    const disposition = attachmentDisposition(name);

    expect(extendedNameOf(disposition)).toBe(name);
    expect(fallbackOf(disposition)).toBe("Rontgen Muller _ __.pdf");
  });

  it("SEC-5: quotes, backslashes, percent signs and control characters cannot break out of the header", () => {
    const name = 'a"b\\c%41\r\nSet-Cookie: x=1\u0000\u007f.pdf';
    const disposition = attachmentDisposition(name);

    // Printable ASCII only: nothing can end the header line or the quoted string.
    expect(disposition).toMatch(/^[ -~]*$/);
    expect(fallbackOf(disposition)).toBe("a_b_c_41__Set-Cookie: x=1__.pdf");
    expect(extendedNameOf(disposition)).toBe(name);
    expect(disposition.split("filename*=")[1]).toMatch(/^UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/);
  });

  it("FILE-4: characters RFC 8187 reserves are percent-encoded", () => {
    expect(attachmentDisposition("it's (1)*.txt")).toContain("filename*=UTF-8''it%27s%20%281%29%2A.txt");
  });

  it("FILE-4: a name with no ASCII to keep falls back to a neutral name, and broken UTF-16 does not throw", () => {
    expect(fallbackOf(attachmentDisposition("東京"))).toBe("download");
    expect(extendedNameOf(attachmentDisposition("x\ud800y"))).toBe("x\ufffdy");
  });
});
