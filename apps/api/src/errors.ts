import { isDatabaseUnavailable } from "@clinic-chat/adapters";
import { DomainError, type DomainErrorCode } from "@clinic-chat/domain";
import { type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { AuthError, type AuthErrorCode } from "./auth/AuthError";
import { authErrorTable } from "./auth/authErrorTable";
import { type DomainErrorRow, domainErrorTable, type ErrorDetails } from "./domainErrorTable";

/**
 * Sentences for errors that do not come from the domain: the API's own gates and tRPC's transport
 * errors. They replace whatever message the error had, which may quote the request.
 */
const transportSentences: Partial<Record<TRPC_ERROR_CODE_KEY, string>> = {
  UNAUTHORIZED: "Your session has ended. Please sign in again.",
  FORBIDDEN: "You don't have permission to do this.",
  NOT_FOUND: "We couldn't find that. It may have been deleted.",
  BAD_REQUEST: "The request could not be understood. Reload the page and try again.",
  PARSE_ERROR: "The request could not be understood. Reload the page and try again.",
  METHOD_NOT_SUPPORTED: "The request could not be understood. Reload the page and try again.",
  PAYLOAD_TOO_LARGE: "The request was too large.",
  TOO_MANY_REQUESTS: "Too many attempts. Wait a minute and try again.",
  TIMEOUT: "This took too long. Please try again.",
  SERVICE_UNAVAILABLE: "The service is unavailable for a moment. Please try again.",
  CLIENT_CLOSED_REQUEST: "The request was cancelled.",
};

/** What every failure says to anyone outside the server when nothing more specific is safe. */
export const internalErrorSentence = "Something went wrong on our side. Please try again.";

function rowOf(error: DomainError | AuthError): DomainErrorRow {
  return error instanceof AuthError ? authErrorTable[error.code] : domainErrorTable[error.code];
}

/** The tRPC error a domain or sign-in refusal becomes: mapped code, the table's sentence, the refusal kept as cause. */
export function toTRPCError(error: DomainError | AuthError): TRPCError {
  const row = rowOf(error);
  return new TRPCError({ code: row.code, message: row.sentence(error.details), cause: error });
}

/** One offending input field: its path in the input (from the schema, never a value) and the kind of problem. */
export interface FieldProblem {
  readonly path: string;
  readonly problem: string;
}

/** The `data` every error response carries; nulls where a kind of error has nothing to say. */
export interface ApiErrorData {
  readonly code: TRPC_ERROR_CODE_KEY;
  readonly httpStatus: number;
  /** The refusal's code: the domain's, or sign-in's. */
  readonly domainCode: DomainErrorCode | AuthErrorCode | null;
  readonly details: ErrorDetails | null;
  /** For invalid input (SEC-6): the offending fields, by path only. */
  readonly fields: readonly FieldProblem[] | null;
}

/** The safe, human face of an error: what the client receives (SEC-5). */
export interface ApiErrorDescription {
  readonly message: string;
  readonly data: ApiErrorData;
}

interface SchemaIssue {
  readonly code?: unknown;
  readonly path?: readonly unknown[];
  /** The names of unexpected keys (zod's `unrecognized_keys`). */
  readonly keys?: readonly unknown[];
}

function schemaIssues(cause: unknown): readonly SchemaIssue[] | null {
  if (typeof cause !== "object" || cause === null || !("issues" in cause)) return null;
  const issues = (cause as { issues: unknown }).issues;
  return Array.isArray(issues) ? (issues as SchemaIssue[]) : null;
}

// SEC-6 names an unexpected key, but the client chose it and could have put anything there (a
// patient's name): only a key shaped like one of our field names is repeated.
const fieldNameShape = /^[a-z][A-Za-z0-9_]{0,39}$/;
const unexpectedKey = (key: unknown) =>
  typeof key === "string" && fieldNameShape.test(key) ? key : "(unknown field)";

/**
 * Field paths of schema issues. Path segments come from our schemas (object keys and array
 * indexes); an unexpected key is named by {@link unexpectedKey}.
 */
function fieldProblems(issues: readonly SchemaIssue[]): FieldProblem[] {
  const seen = new Map<string, FieldProblem>();
  const add = (parts: readonly unknown[], problem: string) => {
    const path = parts
      .map((part) => (typeof part === "number" ? `[${part}]` : typeof part === "string" ? part : "?"))
      .join(".")
      .replaceAll(".[", "[");
    const key = `${path}|${problem}`;
    if (!seen.has(key)) seen.set(key, { path: path || "(input)", problem });
  };
  for (const issue of issues) {
    const problem = typeof issue.code === "string" ? issue.code : "invalid";
    const path = issue.path ?? [];
    if (problem === "unrecognized_keys" && Array.isArray(issue.keys) && issue.keys.length > 0)
      for (const key of issue.keys) add([...path, unexpectedKey(key)], problem);
    else add(path, problem);
  }
  return [...seen.values()];
}

/**
 * Describes any error for the client without leaking: domain refusals by the table, invalid
 * input by field paths, everything else by a fixed sentence for its code. Never the original
 * message, the input, or a stack (SEC-5).
 */
export function describeError(error: TRPCError, httpStatus: number): ApiErrorDescription {
  const base = { code: error.code, httpStatus, domainCode: null, details: null, fields: null };
  if (error.cause instanceof DomainError || error.cause instanceof AuthError) {
    const row = rowOf(error.cause);
    return {
      message: row.sentence(error.cause.details),
      data: { ...base, domainCode: error.cause.code, details: { ...error.cause.details } },
    };
  }
  const issues = error.code === "BAD_REQUEST" ? schemaIssues(error.cause) : null;
  if (issues) {
    const fields = fieldProblems(issues);
    return {
      message: `Some fields are missing or not valid: ${fields.map((f) => f.path).join(", ")}.`,
      data: { ...base, fields },
    };
  }
  return { message: transportSentences[error.code] ?? internalErrorSentence, data: base };
}

/**
 * A PHI-free summary of an unexpected error for the log: its type, a short machine code if it
 * has one (a driver's SQLSTATE…), and the stack frames without the message line, which may quote
 * data (SEC-5).
 */
export function loggableError(error: unknown): { errorType: string; errorCode?: string; frames?: string[] } {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = error.stack
    ?.split("\n")
    .filter((line) => line.startsWith("    at "))
    .map((line) => line.trim())
    .slice(0, 15);
  return {
    errorType: error.constructor.name,
    ...(typeof code === "string" && /^[A-Z0-9_.-]{1,40}$/i.test(code) ? { errorCode: code } : {}),
    ...(frames ? { frames } : {}),
  };
}

/**
 * A server the API depends on out of reach (the database restarting or failing over, storage
 * refusing connections) is a moment's wait, not a fault of the request: SERVICE_UNAVAILABLE, so
 * the client tries again (a retried send is stored once, MSG-1). Null for any other error.
 */
export function unavailableError(cause: unknown): TRPCError | null {
  return isDatabaseUnavailable(cause) ? new TRPCError({ code: "SERVICE_UNAVAILABLE", cause }) : null;
}
