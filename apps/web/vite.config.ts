import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev`: Vite serves the app and passes API calls (and the SSE stream of live updates) to
// the API. Start the API with PUBLIC_URL=http://localhost:5173 so its origin check and the
// storage's CORS accept the pages Vite serves.
const api = process.env.API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/trpc": { target: api } },
  },
  build: { outDir: "dist", emptyOutDir: true },
});
