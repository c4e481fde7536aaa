import { type domainErrorCodes, messageTextLimits, type Plan } from "@clinic-chat/domain";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { allowedTypeNames, count, listInWords, megabytes, planNames, typeName } from "./errorWords";
import { webhookUrlProblems } from "./webhooks/webhookUseCases";

/** Non-PHI facts a refusal carries for the UI (the plan a capability needs, a limit…). */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

/** One row of {@link domainErrorTable}: the transport code and the sentence telling the user what to do. */
export interface DomainErrorRow {
  readonly code: TRPC_ERROR_CODE_KEY;
  readonly sentence: (details: ErrorDetails) => string;
}

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
      (details.field === "confirmName" &&
        "The name typed doesn't match the patient's name. Type it as it is shown.") ||
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
