/** The clinic's records (REC-3, REC-4, REC-5): `@clinic-chat/domain/records`. */
export {
  type ConversationTranscript,
  conversationTranscript,
  type TranscriptEntry,
} from "./conversationTranscript";
export {
  checkErasure,
  erasedPatient,
  erasePatient,
  type PatientErased,
  type PatientErasureInput,
} from "./erasePatient";
export { canDeleteUnderHold, checkHoldReason, type LegalHold, legalHoldReasonLimits } from "./LegalHold";
export {
  type LegalHoldView,
  legalHoldOf,
  liftLegalHold,
  placeLegalHold,
} from "./legalHolds";
export type { RecordsStore } from "./ports";
export {
  checkRetentionPeriod,
  type RetentionPeriod,
  type RetentionPolicy,
  type RetentionRun,
  type RetentionUnit,
  retentionCutoff,
  retentionLimits,
  retentionUnits,
} from "./Retention";
export {
  changeRetention,
  type RetentionOptions,
  type RetentionOutcome,
  type RetentionView,
  retentionSetting,
  retentionSliceSize,
  runRetention,
} from "./retentionRuns";
