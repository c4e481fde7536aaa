import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText, Loading, StatusText } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { CsvColumns, fileProblemSentence, maxCsvBytes } from "./csvWords";
import { problemSentence } from "./patientWords";

/**
 * Patients › Import from CSV (ADMIN-3, clinic admins): choose a file, read the preview (what each
 * row will do, every problem of every bad row), then import. Nothing is written before the import,
 * and an import with any bad row writes nothing; importing the same host ids again updates them.
 */
export function ImportPatientsPage() {
  usePageTitle("Import patients");
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState<string | null>(null);
  const [tooLarge, setTooLarge] = useState(false);
  const preview = useMutation(trpc.patients.importPreview.mutationOptions());
  const confirm = useMutation(
    trpc.patients.importConfirm.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: ["staff", "patients"] }),
    }),
  );
  const choose = async (file: File | undefined) => {
    confirm.reset();
    preview.reset();
    setCsv(null);
    setTooLarge(false);
    if (!file) return;
    if (file.size > maxCsvBytes) return setTooLarge(true);
    const text = await file.text();
    setCsv(text);
    preview.mutate({ csv: text });
  };
  const result = preview.data?.preview ?? null;
  const fileProblem = preview.data?.file ?? confirm.data?.file ?? null;
  const imported = confirm.data?.imported ?? null;
  return (
    <div className="page">
      <p>
        <Link to="/staff/patients">← Patients</Link>
      </p>
      <h1 tabIndex={-1}>Import patients</h1>
      <section className="card" aria-labelledby={`${id}-format`}>
        <h2 id={`${id}-format`}>The file</h2>
        <CsvColumns />
      </section>
      <section className="card" aria-labelledby={`${id}-choose`}>
        <h2 id={`${id}-choose`}>Preview</h2>
        <div className="field">
          <label htmlFor={`${id}-file`}>CSV file</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </div>
        {tooLarge ? <ErrorText>This file is larger than 2 MB. Split it into smaller files.</ErrorText> : null}
        {preview.isPending ? <Loading label="Checking the file…" /> : null}
        <ErrorText>{preview.isError ? errorMessage(preview.error) : null}</ErrorText>
        <ErrorText>{fileProblem ? fileProblemSentence(fileProblem) : null}</ErrorText>
        {result ? (
          <>
            <p className="import-summary">
              {result.added} new, {result.updated} to update, {result.refused} with problems.
            </p>
            {result.problems.length > 0 ? (
              <div className="table-wrap">
                <table className="table">
                  <caption>Rows to fix (row 1 is the first row under the header)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Row</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.problems.map((p) => (
                      <tr key={`${p.row}-${p.field}`}>
                        <th scope="row">{p.row}</th>
                        <td>{problemSentence(p.field, p.problem)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {result.refused > 0 ? (
              <p className="hint">
                Fix these rows in your file and choose it again. Nothing has been imported.
              </p>
            ) : imported ? null : (
              <button
                type="button"
                className="button button--primary"
                disabled={confirm.isPending || csv === null}
                onClick={() => csv !== null && confirm.mutate({ csv })}
              >
                Import {result.added + result.updated} patients
              </button>
            )}
          </>
        ) : null}
        <ErrorText>{confirm.isError ? errorMessage(confirm.error) : null}</ErrorText>
        {imported ? (
          <StatusText>
            Imported: {imported.added} added, {imported.updated} updated.
          </StatusText>
        ) : null}
      </section>
    </div>
  );
}
