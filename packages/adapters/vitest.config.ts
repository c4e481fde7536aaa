import { defineConfig } from "vitest/config";
import { filesAtOnce } from "../../vitest.shared";

export default defineConfig({
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  // Vitest also hands these conditions to Node for external packages, so they hold only ours:
  // Vite's default "module" would make Node load some packages' bundler-only builds.
  ssr: { resolve: { conditions: ["@clinic-chat/source"] } },
  test: {
    // One PostgreSQL per run; each test file copies its own database from a migrated template.
    globalSetup: ["./test/support/globalSetup.ts"],
    // Two files at a time: each has its own database (or product), and most of a file's time is
    // spent waiting on PostgreSQL, S3 or a worker, so a second file uses the core the first leaves.
    // Vitest's default on two cores is one file at a time; TEST_FILES_AT_ONCE=1 asks for that on a
    // machine whose cores are busy with other work.
    maxWorkers: filesAtOnce(),
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
