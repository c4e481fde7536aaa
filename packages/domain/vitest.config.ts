import { defineConfig } from "vitest/config";

export default defineConfig({
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  // Vitest also hands these conditions to Node for external packages, so they hold only ours:
  // Vite's default "module" would make Node load some packages' bundler-only builds.
  ssr: { resolve: { conditions: ["@clinic-chat/source"] } },
  // Property tests run hundreds of cases each: a busy machine may take longer than the default
  // 5 s without anything being wrong (speed is measured by the benches, never by tests).
  test: { testTimeout: 30_000 },
});
