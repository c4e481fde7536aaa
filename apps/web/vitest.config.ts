import react from "@vitejs/plugin-react";
import { defaultClientConditions } from "vite";
import { defineConfig } from "vitest/config";

/** Component tests: jsdom, Testing Library, a fresh QueryClient per test (test/support). */
export default defineConfig({
  plugins: [react()],
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  resolve: { conditions: ["@clinic-chat/source", ...defaultClientConditions] },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.{ts,tsx}"],
    setupFiles: ["test/support/setup.ts"],
  },
});
