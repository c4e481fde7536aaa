/** A number in a refusal's sentence, grouped the way people read it; `fallback` when the detail is missing. */
export const count = (value: unknown, fallback: number): string =>
  (typeof value === "number" ? value : fallback).toLocaleString("en-US");
