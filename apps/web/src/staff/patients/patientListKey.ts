/** The patient list's cache key: the list reads it, and whatever changes a row marks it stale. */
export const patientListKey = ["staff", "patients"] as const;
