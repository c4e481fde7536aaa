import { useId, useState } from "react";
import { errorMessage } from "../../../rpc/errors";
import { useTRPCClient } from "../../../rpc/trpc";
import { BirthDate } from "../../../ui/BirthDate";
import { ErrorText } from "../../../ui/Feedback";
import { type AudienceDraft, AudiencePicker } from "./AudiencePicker";
import { reasonWords, type useBroadcasts } from "./useBroadcasts";

type Actions = ReturnType<typeof useBroadcasts>;

/**
 * Composing a broadcast (BCAST-1): one text or one file, the recipients, a preview of who
 * receives it and who is skipped and why, then send now or at a time.
 */
export function ComposeBroadcast({ actions, onSent }: { actions: Actions; onSent: (id: string) => void }) {
  const id = useId();
  const client = useTRPCClient();
  const [kind, setKind] = useState<"text" | "file">("text");
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [audience, setAudience] = useState<AudienceDraft>({ kind: "activePortal" });
  const [when, setWhen] = useState<"now" | "later">("now");
  const [sendAt, setSendAt] = useState("");
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const preview = actions.preview;
  const ready = audience !== null && (kind === "text" ? text.trim().length > 0 : file !== null);
  const previewed =
    preview.isSuccess && preview.variables?.audience === audience && preview.variables.kind === kind;

  const send = async () => {
    if (!audience) return;
    setUploadError(null);
    let content: { kind: "text"; text: string } | { kind: "file"; fileId: string };
    if (kind === "file") {
      if (!file) return;
      setUploading(true);
      try {
        const request = await client.broadcasts.requestFileUpload.mutate({
          fileName: file.name,
          sizeBytes: file.size,
          contentType: file.type || "application/octet-stream",
        });
        const put = await fetch(request.upload.url, {
          method: request.upload.method,
          headers: request.upload.headers,
          body: file,
        });
        if (!put.ok) throw new Error("The upload did not go through. Try again.");
        await client.broadcasts.confirmFile.mutate({ fileId: request.fileId });
        content = { kind: "file", fileId: request.fileId };
      } catch (error) {
        setUploadError(errorMessage(error));
        return;
      } finally {
        setUploading(false);
      }
    } else content = { kind: "text", text };
    actions.send.mutate(
      {
        clientId: crypto.randomUUID(),
        content,
        audience,
        sendAt: when === "later" && sendAt ? new Date(sendAt).toISOString() : null,
      },
      {
        onSuccess: (b) => {
          setText("");
          setFile(null);
          preview.reset();
          onSent(b.id);
        },
      },
    );
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New broadcast</h2>
      <p className="hint">
        Each patient receives it as a message in their own conversation; nobody sees the others.
      </p>
      <form className="form" noValidate onSubmit={(e) => e.preventDefault()}>
        <fieldset className="field">
          <legend>Message</legend>
          <label className="choice">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === "text"}
              onChange={() => setKind("text")}
            />{" "}
            Text
          </label>
          <label className="choice">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === "file"}
              onChange={() => setKind("file")}
            />{" "}
            A file
          </label>
        </fieldset>
        {kind === "text" ? (
          <div className="field">
            <label htmlFor={`${id}-text`}>Message text</label>
            <textarea
              id={`${id}-text`}
              rows={4}
              maxLength={4000}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <p className="hint">{[...text.trim()].length} of 4,000 characters</p>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${id}-file`}>File (PDF, JPEG, PNG, HEIC, text, DOCX or XLSX; up to 25 MB)</label>
            <input id={`${id}-file`} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
        )}
        <AudiencePicker onChange={setAudience} />
        <button
          type="button"
          className="button"
          disabled={audience === null || preview.isPending}
          onClick={() => audience && preview.mutate({ audience, kind })}
        >
          {preview.isPending ? "Checking…" : "Preview recipients"}
        </button>
        <ErrorText>{preview.isError ? errorMessage(preview.error) : null}</ErrorText>
        {previewed && preview.data ? <PreviewResult data={preview.data} /> : null}
        <fieldset className="field">
          <legend>When</legend>
          <label className="choice">
            <input
              type="radio"
              name={`${id}-when`}
              checked={when === "now"}
              onChange={() => setWhen("now")}
            />{" "}
            Send now
          </label>
          <label className="choice">
            <input
              type="radio"
              name={`${id}-when`}
              checked={when === "later"}
              onChange={() => setWhen("later")}
            />{" "}
            Send later
          </label>
          {when === "later" ? (
            <div className="field">
              <label htmlFor={`${id}-at`}>Date and time</label>
              <input
                id={`${id}-at`}
                type="datetime-local"
                value={sendAt}
                onChange={(e) => setSendAt(e.target.value)}
              />
            </div>
          ) : null}
        </fieldset>
        <ErrorText>
          {uploadError ?? (actions.send.isError ? errorMessage(actions.send.error) : null)}
        </ErrorText>
        <p className="hint">{previewed ? "" : "Preview the recipients before sending."}</p>
        <button
          type="button"
          className="button button--primary"
          disabled={
            !ready || !previewed || uploading || actions.send.isPending || (when === "later" && !sendAt)
          }
          onClick={() => void send()}
        >
          {uploading
            ? "Uploading…"
            : actions.send.isPending
              ? "Sending…"
              : when === "later"
                ? "Schedule broadcast"
                : "Send broadcast"}
        </button>
      </form>
    </section>
  );
}

function PreviewResult({ data }: { data: NonNullable<Actions["preview"]["data"]> }) {
  return (
    <div role="status" className="broadcast-preview">
      <p>
        <strong>{data.recipients.toLocaleString()}</strong>{" "}
        {data.recipients === 1 ? "patient receives" : "patients receive"} it.{" "}
        {data.skipped.length === 0
          ? "Nobody is skipped."
          : `${data.skipped.length.toLocaleString()} ${data.skipped.length === 1 ? "is" : "are"} skipped:`}
      </p>
      {data.skipped.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--dense">
            <caption className="visually-hidden">Patients who will be skipped</caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {data.skipped.slice(0, 200).map((s) => (
                <tr key={s.patientId}>
                  <td>
                    {s.name} <BirthDate dateOfBirth={s.dateOfBirth} />
                  </td>
                  <td>{reasonWords(s.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data.skipped.length > 200 ? (
        <p className="hint">The first 200 are shown; the report lists them all.</p>
      ) : null}
    </div>
  );
}
