import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FileAttachment } from "../src/files/FileAttachment";
import { renderWithClient } from "./support/renderWithClient";

// FILE-3 with REC-2 and SEC-5: storage keeps no file name, so the page fetches the short-lived
// link and saves the bytes under the name it shows; the name is never part of a URL.

const link = {
  url: "https://files.example/clinic/abc?X-Amz-Signature=1",
  method: "GET",
  headers: {},
  expiresAt: new Date(),
} as const;

describe("downloading a shared file", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("FILE-3 REC-2 SEC-5: Download fetches a fresh link and saves the bytes under the file's name, which no URL carries", async () => {
    const fetched: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        fetched.push(url);
        return new Response(new Uint8Array([37, 80, 68, 70]), { status: 200 });
      }),
    );
    const objectUrls: Blob[] = [];
    vi.stubGlobal(
      "URL",
      Object.assign(URL, {
        createObjectURL: (blob: Blob) => {
          objectUrls.push(blob);
          return "blob:saved-file";
        },
        revokeObjectURL: () => {},
      }),
    );
    const saved: { href: string; download: string }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push({ href: this.href, download: this.download });
    });
    const { calls } = renderWithClient(
      <FileAttachment
        file={{ id: "file-1", name: "lab results Müller.pdf", sizeBytes: 4, contentType: "application/zip" }}
      />,
      { handlers: { "files.download": () => link } },
    );

    fireEvent.click(await screen.findByRole("button", { name: /Download/ }));

    await waitFor(() =>
      expect(saved).toEqual([{ href: "blob:saved-file", download: "lab results Müller.pdf" }]),
    );
    expect(calls.filter((call) => call.path === "files.download")).toHaveLength(1);
    expect(fetched).toEqual([link.url]);
    expect(objectUrls).toHaveLength(1);
    for (const url of [...fetched, ...saved.map((s) => s.href)])
      expect(decodeURIComponent(url)).not.toContain("Müller");
    click.mockRestore();
  });
});
