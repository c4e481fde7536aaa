import { defineConfig } from "vitest/config";

/**
 * Browser tests: the built app (`vite build` first) served by the real API on embedded
 * PostgreSQL and S3, driven by playwright-core in Debian's Chromium. One product per file, one
 * file at a time: a page's installed clock still flows with real time, so a test that waits out a
 * clinic's timer on the page (the idle warning's last half minute, SEC-2) loses it when another
 * file's product and browser take the cores.
 */
export default defineConfig({
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  // Vitest also hands these conditions to Node for external packages, so they hold only ours:
  // Vite's default "module" would make Node load some packages' bundler-only builds.
  ssr: { resolve: { conditions: ["@clinic-chat/source"] } },
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // A page shows a live change within moments on a quiet machine, but a busy one can take
    // seconds: polls wait for as long as that takes.
    expect: { poll: { timeout: 15_000 } },
  },
});
