import { recordsInput } from "../../src/routers/records";
import { testUuid } from "./fakes";
import type { ProcedureCase } from "./procedures";

const nowhere = testUuid("0000dead", 1);

/** The records procedures (REC-2, REC-3, REC-4, REC-5) for the test catalogue. */
export const recordsProcedureCases: readonly ProcedureCase[] = [
  {
    path: "records.hold",
    type: "query",
    audience: "staff",
    schema: recordsInput.hold,
    sample: () => ({ patientId: nowhere }),
  },
  {
    path: "records.placeHold",
    type: "mutation",
    audience: "admin",
    schema: recordsInput.placeHold,
    sample: () => ({ patientId: nowhere, reason: "Records requested by counsel" }),
  },
  {
    path: "records.liftHold",
    type: "mutation",
    audience: "admin",
    schema: recordsInput.liftHold,
    sample: () => ({ patientId: nowhere }),
  },
  {
    path: "records.erasePatient",
    type: "mutation",
    audience: "admin",
    schema: recordsInput.erasePatient,
    sample: () => ({
      patientId: nowhere,
      confirmName: "Sample Patient",
      reason: "The patient asked to be erased",
    }),
  },
  {
    path: "records.retention",
    type: "query",
    audience: "admin",
    schema: recordsInput.retention,
    sample: () => undefined,
  },
  {
    path: "records.setRetention",
    type: "mutation",
    audience: "admin",
    schema: recordsInput.setRetention,
    sample: () => ({ period: null }),
  },
  {
    path: "records.exportPdf",
    type: "query",
    audience: "staff",
    schema: recordsInput.exportPdf,
    sample: () => ({ conversationId: nowhere }),
  },
];
