import { liveRouter } from "./live/liveRouter";
import { accountRouter } from "./routers/account";
import { appointmentsRouter } from "./routers/appointments";
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { broadcastsRouter } from "./routers/broadcasts";
import { clinicRouter } from "./routers/clinic";
import { conversationsRouter } from "./routers/conversations";
import { emergencyRouter } from "./routers/emergency";
import { filesRouter } from "./routers/files";
import { inboxRouter } from "./routers/inbox";
import { integrationRouter } from "./routers/integration";
import { messagesRouter } from "./routers/messages";
import { patientsRouter } from "./routers/patients";
import { peopleRouter } from "./routers/people";
import { portalRouter } from "./routers/portal";
import { recordsRouter } from "./routers/records";
import { scheduledRouter } from "./routers/scheduled";
import { searchRouter } from "./routers/search";
import { teamRouter } from "./routers/team";
import { templatesRouter } from "./routers/templates";
import { webhooksRouter } from "./routers/webhooks";
import { createTRPCRouter } from "./trpc";

/** The whole API: one area per file under `routers/`. */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  conversations: conversationsRouter,
  messages: messagesRouter,
  files: filesRouter,
  people: peopleRouter,
  patients: patientsRouter,
  clinic: clinicRouter,
  portal: portalRouter,
  appointments: appointmentsRouter,
  account: accountRouter,
  audit: auditRouter,
  team: teamRouter,
  inbox: inboxRouter,
  webhooks: webhooksRouter,
  templates: templatesRouter,
  scheduled: scheduledRouter,
  integration: integrationRouter,
  broadcasts: broadcastsRouter,
  records: recordsRouter,
  live: liveRouter,
  emergency: emergencyRouter,
  search: searchRouter,
});

/** The API's type, all the web app imports from the server (`import type`). */
export type AppRouter = typeof appRouter;
