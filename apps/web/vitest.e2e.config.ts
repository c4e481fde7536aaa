import { defineConfig } from "vitest/config";
import { filesAtOnce } from "../../vitest.shared";

/**
 * Browser tests: the built app (`vite build` first) served by the real API on embedded
 * PostgreSQL and S3, driven by playwright-core in Debian's Chromium. One product per file: each
 * starts its own database, data folder, ports and browser, so two files run side by side. Most of
 * a browser test is waiting (for the page, the live stream, the workers), which leaves a second
 * core to the other file.
 */
export default defineConfig({
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  // Vitest also hands these conditions to Node for external packages, so they hold only ours:
  // Vite's default "module" would make Node load some packages' bundler-only builds.
  ssr: { resolve: { conditions: ["@clinic-chat/source"] } },
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    // TEST_FILES_AT_ONCE=1: one file at a time, on a machine whose cores are busy with other work.
    maxWorkers: filesAtOnce(),
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // A page shows a live change within moments on a quiet machine, but two products and
    // browsers side by side on a busy one can take seconds: polls wait for as long as that takes.
    expect: { poll: { timeout: 15_000 } },
  },
});
