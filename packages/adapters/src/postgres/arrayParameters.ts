/**
 * The parameters of several rows as one array per column, for a statement that reads them back
 * with `unnest($n::type[], …)`: column `i` of every row, in row order. Dates go as ISO text (the
 * elements of an array parameter are sent as text). `rows` must not be empty.
 */
export function columnsOf(rows: readonly (readonly unknown[])[]): unknown[][] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, i) =>
    rows.map((row) => {
      const value = row[i];
      return value instanceof Date ? value.toISOString() : value;
    }),
  );
}
