/**
 * TPL-1: the values a filled template lacked, still marked in the text: sending waits until the
 * author has replaced each one.
 */
export function MissingValues({ id, marks }: { id: string; marks: readonly string[] }) {
  return (
    <p className="composer__marks" id={id} data-testid="missing-values">
      Replace{" "}
      {marks.map((mark, i) => (
        <span key={mark}>
          {i > 0 ? (i === marks.length - 1 ? " and " : ", ") : null}
          <mark>{mark}</mark>
        </span>
      ))}{" "}
      before sending: {marks.length === 1 ? "this value is" : "these values are"} not known for this
      conversation.
    </p>
  );
}
