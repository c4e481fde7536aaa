import { scheduledInput } from "../../src/routers/scheduled";
import { templatesInput } from "../../src/routers/templates";
import { testUuid } from "./fakes";
import type { ProcedureCase } from "./procedures";

const nowhere = testUuid("0000dead", 1);
const later = { date: "2099-01-05", minute: 9 * 60 };

/** The reply template (TPL-1) and scheduled message (SCHED-1) procedures for the test catalogue. */
export const templateProcedureCases: readonly ProcedureCase[] = [
  {
    path: "templates.list",
    type: "query",
    audience: "staff",
    schema: templatesInput.list,
    sample: () => undefined,
  },
  {
    path: "templates.save",
    type: "mutation",
    audience: "staff",
    schema: templatesInput.save,
    sample: () => ({ scope: "personal", name: "Results", text: "Hi {patient first name}" }),
  },
  {
    path: "templates.delete",
    type: "mutation",
    audience: "staff",
    schema: templatesInput.delete,
    sample: () => ({ templateId: nowhere }),
  },
  {
    path: "templates.fill",
    type: "mutation",
    audience: "staff",
    schema: templatesInput.fill,
    sample: () => ({ conversationId: nowhere, templateId: nowhere }),
  },
  {
    path: "scheduled.options",
    type: "query",
    audience: "staff",
    schema: scheduledInput.options,
    sample: () => undefined,
  },
  {
    path: "scheduled.list",
    type: "query",
    audience: "staff",
    schema: scheduledInput.list,
    sample: () => ({ conversationId: nowhere }),
  },
  {
    path: "scheduled.schedule",
    type: "mutation",
    audience: "staff",
    schema: scheduledInput.schedule,
    sample: () => ({ conversationId: nowhere, clientId: "c-1", text: "Later", when: later }),
  },
  {
    path: "scheduled.edit",
    type: "mutation",
    audience: "staff",
    schema: scheduledInput.edit,
    sample: () => ({ scheduledId: nowhere, text: "Later", when: later }),
  },
  {
    path: "scheduled.cancel",
    type: "mutation",
    audience: "staff",
    schema: scheduledInput.cancel,
    sample: () => ({ scheduledId: nowhere }),
  },
];
