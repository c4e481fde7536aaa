import {
  DomainError,
  type DomainErrorCode,
  type domainErrorCodes,
  messageTextLimits,
  type Plan,
} from "@clinic-chat/domain";
import { fileRules } from "@clinic-chat/domain/files";
import { type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { AuthError, type AuthErrorCode } from "./auth/AuthError";
import { authErrorTable } from "./auth/authErrorTable";
import { count } from "./errorWords";
import { webhookUrlProblems } from "./webhooks/webhookUseCases";

/** Non-PHI facts a refusal carries for the UI (the plan a capability needs, a limit…). */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

/** One row of {@link domainErrorTable}: the transport code and the sentence telling the user what to do. */
export interface DomainErrorRow {
  readonly code: TRPC_ERROR_CODE_KEY;
  readonly sentence: (details: ErrorDetails) => string;
}

const planNames: Readonly<Record<Plan, string>> = {
  starter: "Starter",
  enhanced: "Enhanced",
  premium: "Premium",
};
const allowedTypeNames = Object.values(fileRules.allowedTypes);
const listInWords = (items: readonly string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
/** A file type's name from a refusal's details ("PDF"), or `otherwise` when the type has no name. */
const typeName = (name: unknown, otherwise: string) =>
  typeof name === "string" && allowedTypeNames.includes(name) ? name : otherwise;
const megabytes = (bytes: unknown) =>
  `${Math.floor((typeof bytes === "number" ? bytes : fileRules.maxBytes) / (1024 * 1024))} MB`;

/**
 * THE table: every domain refusal code, its tRPC code and one sentence saying what to do (SEC-5).
 * Typed over every member of `domainErrorCodes`, so a code added to the domain fails the
 * typecheck here until it has a row. Sentences use only `details`, which are non-PHI by
 * construction, never the error's message or anything the user typed.
 */
export const domainErrorTable = {
  NOT_FOUND: { code: "NOT_FOUND", sentence: () => "We couldn't find that. It may have been deleted." },
  FORBIDDEN: {
    code: "FORBIDDEN",
    sentence: () => "You don't have permission to do this. Ask a clinic admin if you need it.",
  },
  INVALID_INPUT: {
    code: "BAD_REQUEST",
    sentence: (details) =>
      (details.field === "url" && webhookUrlProblems[String(details.problem)]) ||
      "Some of what was entered isn't valid. Check it and try again.",
  },
  PLAN_REQUIRED: {
    code: "FORBIDDEN",
    sentence: (details) => {
      const plan = planNames[details.plan as Plan];
      return plan
        ? `Your plan doesn't include this. Upgrade to ${plan} to use it.`
        : "Your plan doesn't include this. Upgrade your plan to use it.";
    },
  },
  SETTING_OFF: {
    code: "PRECONDITION_FAILED",
    sentence: () => "This is turned off in Clinic Settings. A clinic admin can turn it on.",
  },
  PATIENT_CHAT_OFF: {
    code: "PRECONDITION_FAILED",
    sentence: () =>
      "Chat with patients is turned off for this clinic. A clinic admin can turn it on in Clinic Settings › Patient Portal.",
  },
  PATIENT_PORTAL_INACTIVE: {
    code: "PRECONDITION_FAILED",
    sentence: () =>
      "This patient has no active Patient Portal account yet. Invite them to the portal to chat.",
  },
  STAFF_INACTIVE: {
    code: "FORBIDDEN",
    sentence: () => "This staff account is deactivated. A clinic admin can reactivate it.",
  },
  NOT_A_PARTICIPANT: {
    code: "FORBIDDEN",
    sentence: () => "You're not in this conversation. Ask someone in it to add you.",
  },
  CONVERSATION_READ_ONLY: {
    code: "PRECONDITION_FAILED",
    sentence: () => "This conversation is read-only now. You can still read its history.",
  },
  MESSAGE_EMPTY: { code: "BAD_REQUEST", sentence: () => "Type a message before sending." },
  MESSAGE_TOO_LONG: {
    code: "BAD_REQUEST",
    sentence: (details) =>
      `Messages can be up to ${count(details.max, messageTextLimits.max)} characters. Shorten it or send it in parts.`,
  },
  FILE_TOO_LARGE: {
    code: "PAYLOAD_TOO_LARGE",
    sentence: (details) => `Files can be up to ${megabytes(details.maxBytes)}. Choose a smaller file.`,
  },
  FILE_EMPTY: { code: "BAD_REQUEST", sentence: () => "This file is empty. Choose another file." },
  FILE_TYPE_NOT_ALLOWED: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    sentence: () => `This type of file can't be shared. Use ${listInWords(allowedTypeNames)}.`,
  },
  FILE_NAME_REFUSED: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    sentence: () =>
      "Web pages, scripts and programs can't be shared, because opening them can run code. Send a PDF, a photo or a document instead.",
  },
  FILE_TYPE_MISMATCH: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    sentence: (details) =>
      `This file's name says ${typeName(details.expected, "one type")}, but its contents are ${typeName(details.found, "something else")}. Save it again in the right format, or rename it to match what it is.`,
  },
  FILE_TEXT_NOT_PLAIN: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    sentence: () =>
      "This text file isn't plain text. Save it as plain text (UTF-8) or as a PDF, then send it again.",
  },
  FILE_HAS_MARKUP: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    sentence: () =>
      "This file contains web page code (HTML, SVG or XML), which can't be shared. Save it as a PDF and send that instead.",
  },
  FILE_INFLATES_TOO_MUCH: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    sentence: (details) =>
      `This document unpacks to more than ${megabytes(details.maxBytes)}, which isn't allowed. Save it again without large embedded content, or as a PDF.`,
  },
  FILE_DAMAGED: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    sentence: () => "This file is damaged and can't be opened. Save it again and send the new copy.",
  },
  FILE_INFECTED: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    sentence: () =>
      "This file contains malware, so it was deleted and not shared. Don't open it again; if you need to send it, get a clean copy first.",
  },
  FILE_NOT_UPLOADED: {
    code: "PRECONDITION_FAILED",
    sentence: () => "The file hasn't finished uploading. Upload it again.",
  },
  FILE_UPLOAD_EXPIRED: {
    code: "PRECONDITION_FAILED",
    sentence: () => "This upload took too long and expired. Upload the file again.",
  },
  ALREADY_DELETED: { code: "CONFLICT", sentence: () => "This message was already deleted." },
  CONFLICT: {
    code: "CONFLICT",
    sentence: () => "This clashes with something sent before. Reload the page and try again.",
  },
  LAST_ACTIVE_ADMIN: {
    code: "CONFLICT",
    sentence: () =>
      "This is the clinic's last active admin. Make another team member an admin first, so someone can still manage the clinic.",
  },
  LEGAL_HOLD: {
    code: "PRECONDITION_FAILED",
    sentence: () =>
      "This patient's records are under a legal hold, so nothing in their conversations can be deleted until an admin lifts it.",
  },
  TOO_MANY_STREAMS: {
    code: "TOO_MANY_REQUESTS",
    sentence: (details) =>
      `This account has too many live windows open (at most ${count(details.max, 10)}). Close some tabs or windows of Clinic Chat, then reload this one.`,
  },
} as const satisfies { readonly [K in (typeof domainErrorCodes)[number]]: DomainErrorRow };

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
