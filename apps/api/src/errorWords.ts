import type { Plan } from "@clinic-chat/domain";
import { fileRules } from "@clinic-chat/domain/files";

/** A number in a refusal's sentence, grouped the way people read it; `fallback` when the detail is missing. */
export const count = (value: unknown, fallback: number): string =>
  (typeof value === "number" ? value : fallback).toLocaleString("en-US");

/** A plan's name as the clinic sees it on its bill. */
export const planNames: Readonly<Record<Plan, string>> = {
  starter: "Starter",
  enhanced: "Enhanced",
  premium: "Premium",
};
/** The names of the file types that can be shared ("PDF", "JPEG"…). */
export const allowedTypeNames = Object.values(fileRules.allowedTypes);
/** Items joined the way a sentence lists alternatives: "a, b or c". */
export const listInWords = (items: readonly string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
/** A file type's name from a refusal's details ("PDF"), or `otherwise` when the type has no name. */
export const typeName = (name: unknown, otherwise: string) =>
  typeof name === "string" && allowedTypeNames.includes(name) ? name : otherwise;
/** A size in whole megabytes; the largest file allowed when the detail is missing. */
export const megabytes = (bytes: unknown) =>
  `${Math.floor((typeof bytes === "number" ? bytes : fileRules.maxBytes) / (1024 * 1024))} MB`;
