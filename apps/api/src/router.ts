import { clinicRouter } from "./routers/clinic";
import { conversationsRouter } from "./routers/conversations";
import { filesRouter } from "./routers/files";
import { messagesRouter } from "./routers/messages";
import { peopleRouter } from "./routers/people";
import { portalRouter } from "./routers/portal";
import { createTRPCRouter } from "./trpc";

/** The whole API: one area per file under `routers/`. */
export const appRouter = createTRPCRouter({
  conversations: conversationsRouter,
  messages: messagesRouter,
  files: filesRouter,
  people: peopleRouter,
  clinic: clinicRouter,
  portal: portalRouter,
});

/** The API's type, all the web app imports from the server (`import type`). */
export type AppRouter = typeof appRouter;
