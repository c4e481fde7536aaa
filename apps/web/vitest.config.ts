import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/** Component tests: jsdom, Testing Library, a fresh QueryClient per test (test/support). */
export default defineConfig({
  plugins: [react()],
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.{ts,tsx}"],
    setupFiles: ["test/support/setup.ts"],
  },
});
