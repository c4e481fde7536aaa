export {
  createEventDoorbell,
  type EventDoorbell,
  type EventDoorbellOptions,
  liveEventsChannel,
} from "./eventDoorbell";
export {
  type LiveEventFeed,
  type LiveEventFeedOptions,
  type LiveEventFeedStats,
  startLiveEventFeed,
} from "./liveEventFeed";
export { type LiveMembership, postgresLiveMembership } from "./liveMembership";
export { createLivePostgresUnitOfWork, type LivePostgresUnitOfWorkOptions } from "./livePostgresUnitOfWork";
export {
  type LiveReaderOptions,
  liveReaderColumns,
  liveReaderPolicy,
  prepareLiveReader,
} from "./prepareLiveReader";
export {
  startTypingChannel,
  type TypingChannel,
  type TypingChannelOptions,
  typingChannelName,
} from "./typingChannel";
