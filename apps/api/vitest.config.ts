import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  ssr: { resolve: { conditions: ["@clinic-chat/source", ...defaultServerConditions] } },
  test: {
    // One embedded PostgreSQL per run, the adapters' own: sign-in's tests run over real HTTP on the
    // real database (each file copies its own from a migrated template); the other tests ignore it.
    globalSetup: ["../../packages/adapters/test/support/globalSetup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
