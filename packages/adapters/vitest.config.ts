import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One PostgreSQL per run; each test file copies its own database from a migrated template.
    globalSetup: ["./test/support/globalSetup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
