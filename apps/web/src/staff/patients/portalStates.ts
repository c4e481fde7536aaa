/** A patient's Patient Portal account state, in words (ELIG-1). */
export const portalStateNames: Readonly<Record<string, string>> = {
  none: "No account",
  invited: "Invited",
  active: "Active",
  disabled: "Disabled",
};
