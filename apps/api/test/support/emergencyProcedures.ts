import { emergencyInput } from "../../src/routers/emergency";
import { testUuid } from "./fakes";
import type { ProcedureCase } from "./procedures";

const nowhere = testUuid("0000dead", 7);

/** REC-7: the emergency access procedures, for the catalogue of every procedure. */
export const emergencyProcedureCases: readonly ProcedureCase[] = [
  {
    path: "emergency.standing",
    type: "query",
    audience: "admin",
    schema: emergencyInput.standing,
    sample: () => ({ conversationId: nowhere }),
  },
  {
    path: "emergency.open",
    type: "mutation",
    audience: "admin",
    schema: emergencyInput.open,
    sample: () => ({ conversationId: nowhere, reason: "The patient's practitioner is away" }),
  },
  {
    path: "emergency.recent",
    type: "query",
    audience: "admin",
    schema: emergencyInput.recent,
    sample: () => undefined,
  },
  {
    path: "emergency.noticeCount",
    type: "query",
    audience: "admin",
    schema: emergencyInput.noticeCount,
    sample: () => undefined,
  },
];
