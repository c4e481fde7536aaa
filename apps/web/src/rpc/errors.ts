import { TRPCClientError } from "@trpc/client";

/** Shown when the server could not be reached at all. */
export const offlineSentence = "We couldn't reach Clinic Chat. Check your connection and try again.";

interface ErrorData {
  readonly code?: string;
  readonly httpStatus?: number;
  readonly domainCode?: string | null;
  readonly details?: Readonly<Record<string, unknown>> | null;
  readonly fields?: readonly { readonly path: string }[] | null;
}

function dataOf(error: unknown): ErrorData | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  return typeof data === "object" && data !== null ? (data as ErrorData) : null;
}

/**
 * The sentence to show for a failed call. The API writes every message for people to read
 * (what happened, what to do, never PHI), so it is shown as is; only a call that never reached
 * the server gets our own sentence.
 */
export function errorMessage(error: unknown): string {
  const data = dataOf(error);
  if (data && error instanceof Error && error.message) return error.message;
  return offlineSentence;
}

/** The refusal's code (`PATIENT_PORTAL_INACTIVE`, `SIGN_IN_FAILED`…), when the server gave one. */
export function domainCodeOf(error: unknown): string | null {
  return dataOf(error)?.domainCode ?? null;
}

/** True when the server says nobody is signed in (the session ended or never was). */
export function isSignedOut(error: unknown): boolean {
  return dataOf(error)?.code === "UNAUTHORIZED" && domainCodeOf(error) === null;
}

/**
 * Worth sending again with the same client id (MSG-1): the server was not reached, or failed on
 * its side. A refusal (4xx) would only be refused again.
 */
export function isRetryable(error: unknown): boolean {
  const data = dataOf(error);
  if (!data) return true;
  const status = data.httpStatus ?? 0;
  return status >= 500 || status === 429 || status === 0;
}

/**
 * The input field a refusal names: the domain's `details.field` ("weekly.monday"), else the first
 * path the input schema refused ("weekly.monday[0].closes"); null when it names none.
 */
export function invalidFieldOf(error: unknown): string | null {
  const data = dataOf(error);
  const field = data?.details?.field;
  if (typeof field === "string") return field;
  return data?.fields?.[0]?.path ?? null;
}
