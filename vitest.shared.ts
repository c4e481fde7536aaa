/**
 * How many test files the suites that wait on servers (the adapters', the API's) run side by
 * side: two, or TEST_FILES_AT_ONCE when set. The browser tests run one file at a time (their
 * config says why).
 */
export function filesAtOnce(): number {
  const asked = Number.parseInt(process.env.TEST_FILES_AT_ONCE ?? "", 10);
  return Number.isInteger(asked) && asked > 0 ? asked : 2;
}
