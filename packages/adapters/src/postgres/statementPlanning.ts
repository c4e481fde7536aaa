import { CompiledQuery } from "kysely";

/**
 * How PostgreSQL plans a statement of a transaction (see `ReadOptions`): "usual" as it decides
 * (a cached generic plan once it looks no worse than custom ones); "eachTime" for the statement's
 * own arguments at every call; "once" from the generic plan, made once per connection with
 * sequential and bitmap scans off, so that it is the same index lookups whatever the tables held
 * when it was made (and a plain index scan marks the entries of dead row versions as dead, which
 * a bitmap scan never does).
 */
export type Planning = "usual" | "eachTime" | "once";

const settings = (mode: string, scans: "on" | "off") =>
  CompiledQuery.raw(
    `select set_config('plan_cache_mode', '${mode}', true), set_config('enable_seqscan', '${scans}', true), set_config('enable_bitmapscan', '${scans}', true)`,
  );

/**
 * The settings that make a transaction's next statements planned as asked. Each sets all three,
 * so going from any way to any other is one statement; they last until the transaction ends.
 */
export const planningSettings: Readonly<Record<Planning, CompiledQuery>> = {
  usual: settings("auto", "on"),
  eachTime: settings("force_custom_plan", "on"),
  once: settings("force_generic_plan", "off"),
};
