/** Broadcasts (BCAST-1): `@clinic-chat/domain/broadcasts`. */
export type {
  AudienceChoice,
  Broadcast,
  BroadcastAudience,
  BroadcastContent,
  BroadcastFile,
  BroadcastProgress,
  BroadcastRecipient,
  BroadcastState,
  RecipientStatus,
} from "./Broadcast";
export type { BroadcastReport, RecipientReportLine } from "./broadcastReport";
export { type BroadcastView, noProgress } from "./broadcastViews";
export type { BroadcastInput, BroadcastPreview } from "./composeBroadcast";
export {
  type BroadcastPace,
  defaultBroadcastPace,
  type TurnOutcome,
} from "./deliverBroadcastTurn";
export type { BroadcastStore, BroadcastTurn, BroadcastTurnQueue, RecipientPage } from "./ports";
export {
  audienceOf,
  broadcastRecipientDecision,
  canBroadcast,
  canBroadcastContent,
  planRecipients,
} from "./rules";
