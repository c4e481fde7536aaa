import { DomainError, type DomainErrorCode } from "./DomainError";

/**
 * What every policy returns: yes, or no with the reason the UI shows. A "no" may carry facts for
 * the explanation (for example the plan that would allow it).
 */
export type Decision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: DomainErrorCode;
      readonly details?: Readonly<Record<string, string | number | boolean>>;
    };

/** The "yes" decision. */
export const allow: Decision = Object.freeze({ allowed: true });

/** A "no" decision with its reason. */
export function deny(reason: DomainErrorCode, details?: Record<string, string | number | boolean>): Decision {
  return details ? { allowed: false, reason, details } : { allowed: false, reason };
}

/** Turns a "no" into the {@link DomainError} a use case throws; a "yes" passes. */
export function assertAllowed(decision: Decision, message?: string): void {
  if (!decision.allowed) throw new DomainError(decision.reason, message ?? decision.reason, decision.details);
}

/** Throws the {@link DomainError} of a "no" decision; for branches where the decision is known to be "no". */
export function refuse(decision: Decision): never {
  if (decision.allowed) throw new Error("refuse() called with an allowing decision");
  throw new DomainError(decision.reason, decision.reason, decision.details);
}
