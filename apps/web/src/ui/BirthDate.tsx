const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A date of birth (YYYY-MM-DD) as "12 Mar 1984": the same in every locale, so nobody reads 03/12
 * as 3 December. It is a calendar date, not a moment, so no time zone applies.
 */
export function formatBirthDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  if (!year || !month || !day || !months[month - 1]) return isoDate;
  return `${day} ${months[month - 1]} ${year}`;
}

/** A patient's date of birth beside their name, so namesakes are told apart (ADMIN-5); nothing when unknown. */
export function BirthDate({ dateOfBirth }: { dateOfBirth: string | null | undefined }) {
  if (!dateOfBirth) return null;
  return (
    <span className="birth-date">
      <span className="visually-hidden">born </span>
      <span aria-hidden="true">b. </span>
      {formatBirthDate(dateOfBirth)}
    </span>
  );
}
