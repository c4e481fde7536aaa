/** Scheduled messages (SCHED-1): `@clinic-chat/domain/scheduled`. */
export type {
  ScheduledDue,
  ScheduledMessage,
  ScheduledMessageQueue,
  ScheduledMessageStore,
  ScheduledStatus,
} from "./ScheduledMessage";
export {
  cancelScheduledMessage,
  editScheduledMessage,
  listScheduledMessages,
  type ScheduledView,
  type ScheduleInput,
  type SendLaterOptions,
  scheduleMessage,
  sendLaterOptions,
} from "./scheduleMessages";
export {
  isSendableLater,
  type LocalTime,
  type QuickPick,
  quickPicks,
  scheduledInstant,
  sendLaterLimits,
} from "./sendLater";
export { type ScheduledOutcome, sendScheduledMessage } from "./sendScheduledMessage";
