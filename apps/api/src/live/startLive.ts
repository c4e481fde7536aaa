import { createHmac } from "node:crypto";
import {
  connectPostgres,
  createEventDoorbell,
  type Database,
  type EventDoorbell,
  type LiveEventFeed,
  type LiveMembership,
  postgresLiveMembership,
  prepareLiveReader,
  startLiveEventFeed,
  startTypingChannel,
  type TypingChannel,
} from "@clinic-chat/adapters";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { withUser } from "../start/appDatabasePassword";
import { errorName } from "../start/errorFacts";

/** The database role of the live reader (content-free events of every clinic, nothing else). */
export const liveReaderRole = "clinic_chat_live";

/**
 * The live reader's password, derived from the application role's: one secret fewer to keep, and
 * a process that knows one knows the other anyway.
 */
export function liveReaderPassword(appPassword: string): string {
  return createHmac("sha256", appPassword).update("clinic-chat live reader").digest("base64url");
}

/** What {@link startLive} needs. */
export interface StartLiveOptions {
  /** The owner's URL: the reader role and its policy are made (or updated) with it. */
  readonly ownerUrl: string;
  /** The application role's pool: the membership reads go through it. */
  readonly appDb: Kysely<Database>;
  readonly readerPassword: string;
  readonly readerRole?: string;
  readonly logger: Logger;
}

/** The live machinery of one API process. */
export interface RunningLive {
  /** For `createLivePostgresUnitOfWork(appDb, { …, doorbell })`. */
  readonly doorbell: EventDoorbell;
  /** For `createLiveService({ feed, membership, sessions })`. */
  readonly feed: LiveEventFeed;
  readonly membership: LiveMembership;
  /** For `createLiveService({ …, typing })`: typing notices between processes, kept nowhere. */
  readonly typing: TypingChannel;
  /** Stops the feed and sends the last doorbell; after the HTTP server has closed. */
  stop(): Promise<void>;
}

/**
 * Starts one process's live machinery: prepares the reader role, opens the LISTEN connection and
 * the feed, and the batched doorbell. A process that only runs the notification worker needs no
 * feed: give its unit of work `createEventDoorbell(appDb)` alone.
 *
 * The doorbell has a connection of its own (as the reader role, which may NOTIFY and read nothing
 * else): on the application pool, each NOTIFY waited behind every request queued for a
 * connection, so under load the other processes heard of new events only as often as that queue
 * drained, or at their one-second safety poll.
 */
export async function startLive(options: StartLiveOptions): Promise<RunningLive> {
  const role = options.readerRole ?? liveReaderRole;
  await prepareLiveReader({ ownerUrl: options.ownerUrl, role, password: options.readerPassword });
  const feed = await startLiveEventFeed({
    url: withUser(options.ownerUrl, role, options.readerPassword),
    // Errors carry no content (the reader sees none); their type is enough to notice a broken feed.
    onError: (error) => options.logger.error({ errorType: errorName(error) }, "live feed read failed"),
  });
  const typing = await startTypingChannel({
    url: withUser(options.ownerUrl, role, options.readerPassword),
    onError: (error) => options.logger.warn({ errorType: errorName(error) }, "live typing notice failed"),
  });
  const bellDb = connectPostgres(withUser(options.ownerUrl, role, options.readerPassword), { max: 1 });
  const doorbell = createEventDoorbell(bellDb, {
    onError: (error) => options.logger.warn({ errorType: errorName(error) }, "live doorbell failed"),
  });
  return {
    doorbell,
    feed,
    membership: postgresLiveMembership(options.appDb),
    typing,
    async stop() {
      await typing.stop();
      await doorbell.close();
      await bellDb.destroy();
      await feed.stop();
    },
  };
}
