import type { PersonRef } from "@clinic-chat/domain";
import type { PersonKind } from "./Database";

/** A stored (kind, id) pair as the domain's person reference. */
export function personOf(kind: PersonKind, id: string): PersonRef {
  return kind === "staff" ? { kind: "staff", id } : { kind: "patient", id };
}

/** The same, for columns that may be empty. */
export function optionalPersonOf(kind: PersonKind | null, id: string | null): PersonRef | null {
  return kind !== null && id !== null ? personOf(kind, id) : null;
}
