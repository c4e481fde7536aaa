import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The workspaces' sources (their "@clinic-chat/source" export), never a stale compiled dist/.
  ssr: { resolve: { conditions: ["@clinic-chat/source", ...defaultServerConditions] } },
});
