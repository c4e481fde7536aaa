/**
 * A FHIR token `system|value` as the host sends it in `?identifier=` and deep links. Clinic Chat
 * keeps one host id per person and appointment (ADMIN-3): the value. The system, when given, only
 * selects which of a resource's identifiers is that id.
 */
export interface IdentifierToken {
  readonly system: string | null;
  readonly value: string;
}

/** Parses `system|value`, `|value` or `value`; null when there is no value. */
export function parseIdentifierToken(token: string | null | undefined): IdentifierToken | null {
  if (typeof token !== "string") return null;
  const bar = token.indexOf("|");
  const system = bar < 0 ? null : token.slice(0, bar) || null;
  const value = (bar < 0 ? token : token.slice(bar + 1)).trim();
  return value === "" ? null : { system, value };
}

/** The value of the identifier the token names among a resource's identifiers, or null. */
export function matchingIdentifier(
  identifiers: readonly { system?: string | undefined; value?: string | undefined }[] | undefined,
  token: IdentifierToken | null,
): string | null {
  const list = identifiers ?? [];
  if (!token) {
    const first = list.find((i) => typeof i.value === "string" && i.value.trim() !== "");
    return first?.value?.trim() ?? null;
  }
  const found = list.find(
    (i) => i.value?.trim() === token.value && (token.system === null || i.system === token.system),
  );
  return found ? token.value : null;
}
