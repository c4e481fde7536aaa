/**
 * How many test files the suites that wait on servers (the adapters', the API's, the browser
 * tests) run side by side: two, or TEST_FILES_AT_ONCE when set.
 */
export function filesAtOnce(): number {
  const asked = Number.parseInt(process.env.TEST_FILES_AT_ONCE ?? "", 10);
  return Number.isInteger(asked) && asked > 0 ? asked : 2;
}
