import { useState } from "react";
import { usePageTitle } from "../ui/usePageTitle";

/** The codes as a text file: one per line, with a line saying what they are. */
function codesText(codes: readonly string[]): string {
  return `Clinic Chat recovery codes. Each one signs you in once if you lose your authenticator app.\n\n${codes.join("\n")}\n`;
}

/**
 * The recovery codes, shown once after TOTP enrolment: the way in when the phone is lost. They
 * can be copied, downloaded as a text file or printed (ADMIN-2).
 */
export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  usePageTitle("Save your recovery codes");
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(codesText(codes)).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([codesText(codes)], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "clinic-chat-recovery-codes.txt";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <main id="main" className="page page--narrow recovery">
      <h1 tabIndex={-1}>Save your recovery codes</h1>
      <p>
        Each code signs you in once if you lose your authenticator app. Keep them somewhere safe: they are not
        shown again.
      </p>
      <ul className="recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="form__actions recovery__actions">
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="button" onClick={download}>
          Download (.txt)
        </button>
        <button type="button" className="button" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <p role="status" className="hint">
        {copied === "copied"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? "Copying is not allowed here: download or print them instead."
            : ""}
      </p>
      <button type="button" className="button button--primary" onClick={onDone}>
        I saved them, continue
      </button>
    </main>
  );
}
