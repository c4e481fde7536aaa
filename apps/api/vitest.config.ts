import { configDefaults, defineConfig } from "vitest/config";
import { filesAtOnce } from "../../vitest.shared";

export default defineConfig({
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  // Vitest also hands these conditions to Node for external packages, so they hold only ours:
  // Vite's default "module" would make Node load some packages' bundler-only builds.
  ssr: { resolve: { conditions: ["@clinic-chat/source"] } },
  test: {
    // One embedded PostgreSQL per run, the adapters' own: sign-in's tests run over real HTTP on the
    // real database (each file copies its own from a migrated template); the other tests ignore it.
    globalSetup: ["../../packages/adapters/test/support/globalSetup.ts"],
    // The topology test runs on Debian's PostgreSQL (`npm run test:external`, OPS-3), not twice.
    exclude:
      process.env.TEST_POSTGRES === "external"
        ? configDefaults.exclude
        : [...configDefaults.exclude, "test/topology/**"],
    // Two files at a time: each has its own database (or product), and most of a file's time is
    // spent waiting on PostgreSQL, S3 or a worker, so a second file uses the core the first leaves.
    // Vitest's default on two cores is one file at a time; TEST_FILES_AT_ONCE=1 asks for that on a
    // machine whose cores are busy with other work.
    maxWorkers: filesAtOnce(),
    // Generous: with two files side by side on a busy machine a test may wait seconds for a core.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
