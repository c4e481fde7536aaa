import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  ssr: { resolve: { conditions: ["@clinic-chat/source", ...defaultServerConditions] } },
  test: {
    // One PostgreSQL per run; each test file copies its own database from a migrated template.
    globalSetup: ["./test/support/globalSetup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
