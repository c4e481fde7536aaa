import { integrationInput } from "../../src/routers/integration";
import { testUuid } from "./fakes";
import type { ProcedureCase } from "./procedures";

const nowhere = testUuid("0000dead", 1);

/** The Integrations procedures (INTEG-1, INTEG-3) for the test catalogue. */
export const integrationProcedureCases: readonly ProcedureCase[] = [
  {
    path: "integration.credentials",
    type: "query",
    audience: "admin",
    schema: integrationInput.credentials,
    sample: () => undefined,
  },
  {
    path: "integration.createCredential",
    type: "mutation",
    audience: "admin",
    schema: integrationInput.createCredential,
    sample: () => ({ name: "Practice system" }),
  },
  {
    path: "integration.revokeCredential",
    type: "mutation",
    audience: "admin",
    schema: integrationInput.revokeCredential,
    sample: () => ({ credentialId: nowhere }),
  },
  {
    path: "integration.openByHostId",
    type: "mutation",
    audience: "staff",
    schema: integrationInput.openByHostId,
    sample: () => ({ patient: "urn:host|H-nowhere" }),
  },
];
