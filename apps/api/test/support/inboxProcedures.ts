import { defaultOfficeHours } from "@clinic-chat/domain/hours";
import { inboxInput } from "../../src/routers/inbox";
import { testUuid } from "./fakes";
import type { ProcedureCase } from "./procedures";

const nowhere = testUuid("0000dead", 1);

/** The inbox and office hours procedures (INBOX-1 … INBOX-3, HOURS-1 … HOURS-4) for the test catalogue. */
export const inboxProcedureCases: readonly ProcedureCase[] = [
  {
    path: "inbox.list",
    type: "query",
    audience: "staff",
    schema: inboxInput.list,
    sample: () => ({ view: "unassigned", limit: 20 }),
  },
  {
    path: "inbox.timeline",
    type: "query",
    audience: "signed-in",
    schema: inboxInput.timeline,
    sample: () => ({ conversationId: nowhere }),
  },
  ...(["claim", "unassign", "close", "reopen", "markUnread"] as const).map(
    (name): ProcedureCase => ({
      path: `inbox.${name}`,
      type: "mutation",
      audience: "staff",
      schema: inboxInput[name],
      sample: () => ({ conversationId: nowhere }),
    }),
  ),
  {
    path: "inbox.assign",
    type: "mutation",
    audience: "staff",
    schema: inboxInput.assign,
    sample: (w) => ({ conversationId: nowhere, staffId: w.a.nurse.id }),
  },
  {
    path: "inbox.officeHours",
    type: "query",
    audience: "staff",
    schema: inboxInput.officeHours,
    sample: () => undefined,
  },
  {
    path: "inbox.changeOfficeHours",
    type: "mutation",
    audience: "admin",
    schema: inboxInput.changeOfficeHours,
    sample: () => ({ ...defaultOfficeHours("America/New_York"), guidelines: "For emergencies call 911." }),
  },
  {
    path: "inbox.afterHoursNotice",
    type: "query",
    audience: "signed-in",
    schema: inboxInput.afterHoursNotice,
    sample: () => undefined,
  },
];
