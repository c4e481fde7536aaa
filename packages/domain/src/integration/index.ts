/** Integration with the host system (INTEG-1 … INTEG-3, INTEG-5): `@clinic-chat/domain/integration`. */
export {
  type ApiCredentialView,
  apiCredentialLimits,
  authenticateHost,
  createApiCredential,
  listApiCredentials,
  revokeApiCredential,
} from "./credentials";
export { admitHostCall, type HostCallAdmission, hostCallLimits } from "./hostAudited";
export { canHostExport, exportPatientChatForHost } from "./hostExport";
export type {
  HostOutcome,
  HostPatient,
  HostPractitioner,
  HostProblem,
  HostResult,
  HostRole,
  HostStaffRole,
} from "./hostPeople";
export { findHostRecord, type HostRecord, patientOfHostLink } from "./hostReads";
export type { ApiCredential, HostCaller, IntegrationStore } from "./ports";
export {
  type HostAppointment,
  type HostRecords,
  hostRecordLimits,
  type RecordOutcome,
  recordFromHost,
} from "./recordFromHost";
