import type { OperationOutcome, OperationOutcomeIssue } from "@medplum/fhirtypes";

/** One issue of an OperationOutcome: a FHIR issue type, a code of ours, and the element it names. */
export function issue(
  code: OperationOutcomeIssue["code"],
  diagnostics: string,
  expression?: string,
): OperationOutcomeIssue {
  return { severity: "error", code, diagnostics, ...(expression ? { expression: [expression] } : {}) };
}

/** An OperationOutcome of issues. Its words are codes and paths, never the values sent (SEC-5). */
export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: issues };
}

/** A refusal the route answers: an HTTP status and its OperationOutcome. */
export class FhirRefusal extends Error {
  constructor(
    readonly status: number,
    readonly issues: OperationOutcomeIssue[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(issues[0]?.diagnostics ?? "refused");
  }
}
