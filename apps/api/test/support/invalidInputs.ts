import fc from "fast-check";
import type { ProcedureCase } from "./procedures";

/** Planted in generated input values and keys: must never come back in an error (SEC-5, SEC-6). */
export const inputMarker = "PHI-INPUT-5e1b";

const marked = fc.string({ maxLength: 12 }).map((s) => `${inputMarker}${s}`);

/** Values that are wrong for most fields: wrong types, out of range, empty, huge. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, -1, 0, 1.5, Number.NaN, 2 ** 53, -(2 ** 40), "", " "),
  fc.integer(),
  fc.double(),
  marked,
  fc.constant(`${inputMarker}${"x".repeat(20_000)}`),
  fc.array(marked, { maxLength: 3 }),
  fc.dictionary(marked, marked, { maxKeys: 2 }),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Inputs the procedure's schema refuses, mostly near-misses of a valid input: one or two fields
 * wrong, one missing, an unexpected key, arrays with a bad element; plus anything at all.
 */
export function invalidInputs(procedure: ProcedureCase, valid: unknown): fc.Arbitrary<unknown> {
  const arbitraries: fc.Arbitrary<unknown>[] = [fc.anything(), wrongValue];
  if (isRecord(valid))
    arbitraries.push(fc.tuple(marked, fc.anything()).map(([k, v]) => ({ ...valid, [k]: v })));
  if (isRecord(valid) && Object.keys(valid).length > 0) {
    const keys = Object.keys(valid);
    const key = fc.constantFrom(...keys);
    arbitraries.push(
      fc.tuple(key, wrongValue).map(([k, v]) => ({ ...valid, [k]: v })),
      fc
        .tuple(key, wrongValue, key, wrongValue)
        .map(([k1, v1, k2, v2]) => ({ ...valid, [k1]: v1, [k2]: v2 })),
      key.map((k) => Object.fromEntries(Object.entries(valid).filter(([name]) => name !== k))),
    );
    const arrayKeys = keys.filter((k) => Array.isArray(valid[k]));
    if (arrayKeys.length > 0)
      arbitraries.push(
        fc
          .tuple(fc.constantFrom(...arrayKeys), fc.array(wrongValue, { minLength: 1, maxLength: 3 }))
          .map(([k, items]) => ({ ...valid, [k]: [...(valid[k] as unknown[]), ...items] })),
      );
  }
  return fc.oneof(...arbitraries).filter((input) => !procedure.schema.safeParse(input).success);
}
