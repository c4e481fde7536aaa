/** The largest CSV the import takes; the server refuses more too. */
export const maxCsvBytes = 2_000_000;

/** Why the server did not read a file at all: its shape, never its values. */
type FileProblem =
  | { problem: "empty" }
  | { problem: "not_csv"; line: number }
  | { problem: "unknown_column"; column: number }
  | { problem: "repeated_column"; column: number }
  | { problem: "missing_column"; field: string };

const columnWords: Readonly<Record<string, string>> = {
  hostId: "host_id",
  dateOfBirth: "date_of_birth",
  name: "name (or first_name and last_name)",
};

/** The file problem in words that say what to fix. */
export function fileProblemSentence(p: FileProblem): string {
  switch (p.problem) {
    case "empty":
      return "This file has no patients under its header row.";
    case "not_csv":
      return `This file can't be read as CSV near line ${p.line}. Check for a stray quote mark or a row with too many or too few commas.`;
    case "unknown_column":
      return `Column ${p.column} has a header we don't know. Use the headers listed above.`;
    case "repeated_column":
      return `Column ${p.column} repeats an earlier header.`;
    case "missing_column":
      return `The file needs a ${columnWords[p.field] ?? p.field} column.`;
  }
}

/** The header set of a patient CSV (ADMIN-3), as the page documents it. */
export function CsvColumns() {
  return (
    <>
      <p>
        A CSV file with one header row, then one patient per row: up to 10,000 rows and 2 MB. Headers may be
        in any order and any case.
      </p>
      <dl className="details__list">
        <dt>
          <code>host_id</code> (required)
        </dt>
        <dd>The patient's id in your practice system. Importing it again updates that patient.</dd>
        <dt>
          <code>name</code>, or <code>first_name</code> and <code>last_name</code> (required)
        </dt>
        <dd>The patient's name.</dd>
        <dt>
          <code>date_of_birth</code> (required)
        </dt>
        <dd>YYYY-MM-DD, like 1984-03-12.</dd>
        <dt>
          <code>email</code>
        </dt>
        <dd>For Patient Portal invitations and notifications.</dd>
        <dt>
          <code>mobile</code>
        </dt>
        <dd>International form, like +44 7700 900123.</dd>
        <dt>
          <code>sms_consent</code>
        </dt>
        <dd>yes or no (blank is no); yes needs a mobile number.</dd>
      </dl>
    </>
  );
}
