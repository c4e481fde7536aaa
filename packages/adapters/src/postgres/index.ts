/**
 * PostgreSQL adapter: the domain's stores on kysely + postgres.js, migrations, row-level security
 * and the application role.
 * @packageDocumentation
 */
export { appointments } from "./appointments";
export { createPostgresAuthStore } from "./auth/index";
export { isDatabaseUnavailable } from "./connectionErrors";
export { type ConnectOptions, connectPostgres, type PoolUsage, poolUsage } from "./connectPostgres";
export type { Database } from "./Database";
export {
  createEventDoorbell,
  createLivePostgresUnitOfWork,
  type EventDoorbell,
  type EventDoorbellOptions,
  type LiveEventFeed,
  type LiveEventFeedOptions,
  type LiveEventFeedStats,
  type LiveMembership,
  type LivePostgresUnitOfWorkOptions,
  type LiveReaderOptions,
  liveEventsChannel,
  liveReaderColumns,
  liveReaderPolicy,
  postgresLiveMembership,
  prepareLiveReader,
  startLiveEventFeed,
  startTypingChannel,
  type TypingChannel,
  type TypingChannelOptions,
  typingChannelName,
} from "./live/index";
export { migrateToLatest } from "./migrate";
export { migrationProvider, migrations } from "./migrations/index";
export { openPostgres, type PostgresOptions, postgresTarget } from "./openPostgres";
export { listClinicsAsOwner } from "./operator";
export {
  createPostgresUnitOfWork,
  nameSearchThreshold,
  type PostgresUnitOfWorkOptions,
  postgresStores,
  withClinic,
} from "./PostgresUnitOfWork";
export { appFunctions, appGrants, type PrepareOptions, preparePostgres } from "./preparePostgres";
