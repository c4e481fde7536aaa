import { extensionsByType, fileRules } from "@clinic-chat/domain/files";
import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import {
  acceptAttribute,
  allowedFileTypes,
  checkFileBeforeUpload,
  declaredType,
  maxFileBytes,
} from "../src/files/fileRules";
import { UploadTray } from "../src/files/UploadTray";
import { UploadFailed } from "../src/files/uploadToStorage";
import { type Uploader, useUploads } from "../src/files/useUploads";
import type { MessageView } from "../src/rpc/types";
import { refusal } from "./support/fakeApi";
import { renderWithClient } from "./support/renderWithClient";

const conversationId = "0190a0a0-0000-7000-8000-000000000001";

/** A tray over the real hook, with a file picker like the composer's. */
function Harness({ uploader }: { uploader: Uploader }) {
  const uploads = useUploads(conversationId, uploader);
  return (
    <>
      <label>
        File
        <input
          type="file"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) uploads.start(file);
          }}
        />
      </label>
      <UploadTray uploads={uploads.uploads} onRetry={uploads.retry} onDismiss={uploads.dismiss} />
    </>
  );
}

/** An uploader the test drives: progress and completion happen when the test says so. */
function controlledUploader() {
  const control = {
    headers: null as Readonly<Record<string, string>> | null,
    progress: (_fraction: number) => {},
    finish: () => {},
    fail: (_error: Error) => {},
  };
  const uploader: Uploader = (upload, _file, onProgress) =>
    new Promise<void>((resolve, reject) => {
      control.headers = upload.headers;
      control.progress = onProgress;
      control.finish = resolve;
      control.fail = reject;
    });
  return { uploader, control };
}

const presigned = {
  fileId: "0190a0a0-0000-7000-8000-0000000000f1",
  upload: {
    url: "http://storage.test/bucket/key?X-Amz-Signature=abc",
    method: "PUT" as const,
    headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="lab.pdf"' },
    expiresAt: "2026-03-03T09:20:00.000Z",
  },
};

const confirmed: MessageView = {
  id: "m-9",
  conversationId,
  seq: 9,
  clientId: "x",
  sender: { kind: "patient", id: "p-1" },
  sentAt: "2026-03-03T09:16:00.000Z",
  body: {
    kind: "file",
    file: { id: presigned.fileId, name: "lab.pdf", sizeBytes: 2048, contentType: "application/pdf" },
  },
};

const pdf = () => new File(["%PDF-1.7 ".repeat(200)], "lab.pdf", { type: "application/pdf" });

describe("upload states (FILE-1, FILE-2)", () => {
  it("FILE-1: the browser's rules are the domain's (types and 25 MB)", () => {
    expect(allowedFileTypes).toEqual(fileRules.allowedTypes);
    expect(maxFileBytes).toBe(fileRules.maxBytes);
  });

  it("FILE-5: the browser declares a file by the domain's name endings (a .csv is plain text)", () => {
    expect(declaredType({ name: "values.csv", type: "text/csv" })).toBe("text/plain");
    expect(declaredType({ name: "IMG_0001.HEIF", type: "" })).toBe("image/heic");
    const domainEndings = Object.values(extensionsByType).flat().sort();
    const browserEndings = acceptAttribute
      .split(",")
      .filter((entry) => entry.startsWith("."))
      .map((entry) => entry.slice(1))
      .sort();
    expect(browserEndings).toEqual(domainEndings);
  });

  it("FILE-1: a file over 25 MB or of another type is refused before any upload, with the reason", async () => {
    const { uploader } = controlledUploader();
    const send = vi.fn(uploader);
    const { calls } = renderWithClient(<Harness uploader={send} />);
    const big = new File(["x"], "scan.pdf", { type: "application/pdf" });
    Object.defineProperty(big, "size", { value: maxFileBytes + 1 });
    await userEvent.upload(screen.getByLabelText("File"), big);
    expect(screen.getByRole("alert")).toHaveTextContent("Files can be up to 25 MB. Choose a smaller file.");
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
    expect(checkFileBeforeUpload({ name: "setup.exe", type: "application/x-msdownload", size: 10 })).toBe(
      "This type of file can't be shared. Use PDF, JPEG, PNG, HEIC, plain text, DOCX or XLSX.",
    );
    expect(calls).toEqual([]);
    expect(send).not.toHaveBeenCalled();
  });

  it("FILE-2: shows progress while uploading, then the check, then hands the message over", async () => {
    const { uploader, control } = controlledUploader();
    let confirm = (_confirmed: { state: "shared"; message: MessageView }) => {};
    const { calls } = renderWithClient(<Harness uploader={uploader} />, {
      handlers: {
        "files.requestUpload": () => presigned,
        "files.confirmUpload": () =>
          new Promise<{ state: "shared"; message: MessageView }>((resolve) => (confirm = resolve)),
      },
    });
    await userEvent.upload(screen.getByLabelText("File"), pdf());
    const bar = await screen.findByRole("progressbar", { name: "Uploading lab.pdf" });
    expect(calls[0]).toMatchObject({
      path: "files.requestUpload",
      input: { conversationId, fileName: "lab.pdf", contentType: "application/pdf" },
    });
    // Every header the presigned URL was signed with goes with the bytes, Content-Disposition too.
    expect(control.headers).toEqual(presigned.upload.headers);
    act(() => control.progress(0.4));
    expect(bar).toHaveValue(40);
    expect(screen.getByText("Uploading… 40%")).toBeInTheDocument();
    control.finish();
    expect(await screen.findByText("Checking the file…")).toBeInTheDocument();
    confirm({ state: "shared", message: confirmed });
    await vi.waitFor(() => expect(screen.queryByRole("listitem")).not.toBeInTheDocument());
    expect(calls.map((c) => c.path)).toEqual(["files.requestUpload", "files.confirmUpload"]);
    expect(calls[1]?.input).toEqual({ fileId: presigned.fileId });
  });

  it("FILE-1: the server's verdict on the bytes is shown as it said it, without a retry", async () => {
    const { uploader, control } = controlledUploader();
    renderWithClient(<Harness uploader={uploader} />, {
      handlers: {
        "files.requestUpload": () => presigned,
        "files.confirmUpload": () => {
          throw refusal(
            "This type of file can't be shared. Use PDF, JPEG, PNG, HEIC, plain text, DOCX or XLSX.",
            "FILE_TYPE_NOT_ALLOWED",
            415,
          );
        },
      },
    });
    await userEvent.upload(screen.getByLabelText("File"), pdf());
    await screen.findByRole("progressbar");
    control.finish();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "lab.pdf was not sent. This type of file can't be shared. Use PDF, JPEG, PNG, HEIC, plain text, DOCX or XLSX.",
    );
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("an interrupted upload can be tried again", async () => {
    const { uploader, control } = controlledUploader();
    const { calls } = renderWithClient(<Harness uploader={uploader} />, {
      handlers: {
        "files.requestUpload": () => presigned,
        "files.confirmUpload": () => ({ state: "shared", message: confirmed }),
      },
    });
    await userEvent.upload(screen.getByLabelText("File"), pdf());
    await screen.findByRole("progressbar");
    control.fail(new UploadFailed("The upload was interrupted. Check your connection and try again."));
    expect(await screen.findByRole("alert")).toHaveTextContent("The upload was interrupted.");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("progressbar")).toHaveValue(0);
    // MSG-1: the retry keeps the client id, so the file can only ever become one message.
    const [first, second] = calls.map((c) => (c.input as { clientId: string }).clientId);
    expect(second).toBe(first);
  });

  it("FILE-6: a file waiting for its malware scan says so to its sender, then shows the verdict", async () => {
    const { uploader, control } = controlledUploader();
    const answers = [
      { state: "checking" },
      {
        state: "refused",
        reason: "FILE_INFECTED",
        sentence: "This file contains malware, so it was deleted and not shared.",
      },
    ];
    const { calls } = renderWithClient(<Harness uploader={uploader} />, {
      handlers: {
        "files.requestUpload": () => presigned,
        "files.confirmUpload": () => ({
          state: "checking",
          conversationId,
          clientId: "x",
          file: confirmed.body.kind === "file" ? confirmed.body.file : null,
        }),
        "files.uploadState": () => answers.shift() ?? { state: "checking" },
      },
    });
    await userEvent.upload(screen.getByLabelText("File"), pdf());
    await screen.findByRole("progressbar");
    control.finish();
    expect(
      await screen.findByText("Checking for viruses… Only you can see this file until the check is done."),
    ).toBeInTheDocument();
    expect(await screen.findByRole("alert", {}, { timeout: 8000 })).toHaveTextContent(
      "lab.pdf was not sent. This file contains malware, so it was deleted and not shared.",
    );
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
    expect(calls.filter((c) => c.path === "files.uploadState")).toHaveLength(2);
    expect(calls.at(-1)?.input).toEqual({ fileId: presigned.fileId });
  }, 15_000);

  it("FILE-6: once the scan shares the file, the tray lets it go (the message arrives live)", async () => {
    const { uploader, control } = controlledUploader();
    renderWithClient(<Harness uploader={uploader} />, {
      handlers: {
        "files.requestUpload": () => presigned,
        "files.confirmUpload": () => ({ state: "checking", conversationId, clientId: "x", file: null }),
        "files.uploadState": () => ({ state: "shared", messageId: "m-9" }),
      },
    });
    await userEvent.upload(screen.getByLabelText("File"), pdf());
    await screen.findByRole("progressbar");
    control.finish();
    expect(await screen.findByText(/Checking for viruses/)).toBeInTheDocument();
    await vi.waitFor(() => expect(screen.queryByRole("listitem")).not.toBeInTheDocument(), { timeout: 8000 });
  }, 15_000);
});
