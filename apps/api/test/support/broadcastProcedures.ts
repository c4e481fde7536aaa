import { broadcastsInput } from "../../src/routers/broadcasts";
import { testUuid } from "./fakes";
import type { ProcedureCase } from "./procedures";

const nowhere = testUuid("0000dead", 1);

/** The broadcast procedures (BCAST-1) for the test catalogue: admins only. */
export const broadcastProcedureCases: readonly ProcedureCase[] = [
  {
    path: "broadcasts.preview",
    type: "mutation",
    audience: "admin",
    schema: broadcastsInput.preview,
    sample: () => ({ audience: { kind: "activePortal" }, kind: "text" }),
  },
  {
    path: "broadcasts.send",
    type: "mutation",
    audience: "admin",
    schema: broadcastsInput.send,
    sample: () => ({
      clientId: "catalogue-broadcast",
      content: { kind: "text", text: "Closed on Friday" },
      audience: { kind: "selection", patientIds: [nowhere] },
      sendAt: null,
    }),
  },
  {
    path: "broadcasts.cancel",
    type: "mutation",
    audience: "admin",
    schema: broadcastsInput.cancel,
    sample: () => ({ broadcastId: nowhere }),
  },
  {
    path: "broadcasts.list",
    type: "query",
    audience: "admin",
    schema: broadcastsInput.list,
    sample: () => undefined,
  },
  {
    path: "broadcasts.report",
    type: "query",
    audience: "admin",
    schema: broadcastsInput.report,
    sample: () => ({ broadcastId: nowhere, limit: 10 }),
  },
  {
    path: "broadcasts.requestFileUpload",
    type: "mutation",
    audience: "admin",
    schema: broadcastsInput.requestFileUpload,
    sample: () => ({ fileName: "notice.pdf", sizeBytes: 100, contentType: "application/pdf" }),
  },
  {
    path: "broadcasts.confirmFile",
    type: "mutation",
    audience: "admin",
    schema: broadcastsInput.confirmFile,
    sample: () => ({ fileId: nowhere }),
  },
];
