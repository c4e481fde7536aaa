import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  connectPostgres,
  createClamdScanner,
  createEventDoorbell,
  createLivePostgresUnitOfWork,
  createLocalMailer,
  createPostgresAuthStore,
  createSharpImagePreviewer,
  createSmtpMailer,
  pgBossBroadcastTurns,
  pgBossFilePreviewQueue,
  pgBossFileScanQueue,
  pgBossNotificationQueue,
  pgBossScheduledMessageQueue,
  pgBossWebhookQueue,
  poolUsage,
  preparePostgres,
  startBoss,
  systemClock,
  uuidV7Ids,
} from "@clinic-chat/adapters";
import { createClinicChat, type NotificationDeps } from "@clinic-chat/domain";
import { sql } from "kysely";
import type { Logger } from "pino";
import { type Auth, createAuth } from "../auth/createAuth";
import type { PasswordHashing } from "../auth/passwords";
import type { Config } from "../config";
import { apiDepsFrom } from "../deps";
import { fhirTokenKey } from "../fhir/accessTokens";
import { clientAddress } from "../http/requestMeta";
import { createHttpServer } from "../http/server";
import { createLiveService } from "../live/createLiveService";
import { cookieSessionCheck } from "../live/liveSessions";
import { createLiveSse } from "../live/liveSse";
import { liveReaderPassword, type RunningLive, startLive } from "../live/startLive";
import { liveGauge, queueGauge } from "../metrics/metricSources";
import { createMetrics, type LiveGauge, type RequestObservation } from "../metrics/metrics";
import { startMetricsServer } from "../metrics/metricsServer";
import { activeTracing } from "../tracing/startTracing";
import { appDatabasePassword, withUser } from "./appDatabasePassword";
import { makeDataFolderPrivate } from "./dataFolder";
import { errorName, repeatsCounted } from "./errorFacts";
import { notificationSenders } from "./notificationSenders";
import { openRecordKeys, sealEarlierRecordsInBackground } from "./recordKeys";
import { startStorage } from "./startStorage";
import { startWorkers } from "./startWorkers";

/** The database role the application connects as; it owns nothing and cannot bypass RLS (SEC-4). */
export const appRole = "clinic_chat_app";

/** A running Clinic Chat: its URL, and how to stop it. */
export interface RunningProduct {
  /** Where the HTTP server listens; null when this process only runs the notification worker. */
  readonly url: string | null;
  /** Owner connection URL of the database (for the demo seed and operator tasks). */
  readonly ownerUrl: string;
  readonly domain: NotificationDeps;
  /** Sign-in, for seeds and operator tasks (credentials). */
  readonly auth: Auth;
  /** The resolved data folder. */
  readonly dataDir: string;
  /** Where `GET /metrics` answers (OPS-4); null without METRICS_PORT. */
  readonly metricsUrl: string | null;
  /** Stops everything in reverse order of starting: in-flight requests and jobs finish first. */
  stop(): Promise<void>;
}

/** What {@link startProduct} needs besides the configuration. */
export interface StartOptions {
  readonly logger: Logger;
  /** Runs after the database is ready and before the server listens (the demo seed). */
  readonly beforeListen?: (product: {
    ownerUrl: string;
    domain: NotificationDeps;
    auth: Auth;
    dataDir: string;
  }) => Promise<void>;
  /** The application role's password; made once and kept under the data folder when absent. */
  readonly appPassword?: string;
  /** argon2id cost; tests lower it, the product keeps the default. */
  readonly passwordHashing?: PasswordHashing;
}

/**
 * Starts the whole product from its configuration: PostgreSQL (embedded when no DATABASE_URL),
 * migrations and the application role, pg-boss, object storage (embedded s3rver when no
 * S3_ENDPOINT), email (.eml files under the data folder when no SMTP_URL), SMS when configured,
 * the notification worker and the HTTP server, as the configuration asks.
 */
export async function startProduct(config: Config, options: StartOptions): Promise<RunningProduct> {
  const { logger } = options;
  // Relative to where `npm start` was typed (npm runs the workspace script from apps/api).
  const dataDir = resolve(process.env.INIT_CWD ?? process.cwd(), config.dataDir);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) {
      await step().catch((error: unknown) => logger.error({ err: errorName(error) }, "error while stopping"));
    }
  };
  try {
    await makeDataFolderPrivate(dataDir);
    let ownerUrl = config.databaseUrl;
    if (!ownerUrl) {
      // Loaded only here: a process configured with real servers never loads the embedded ones.
      const { startEmbeddedPostgres } = await import("@clinic-chat/adapters/embedded");
      const embedded = await startEmbeddedPostgres({ directory: resolve(dataDir, "postgres") });
      stops.push(() => embedded.stop());
      // Through its Unix socket when there is one: less CPU per round trip than loopback TCP.
      ownerUrl = embedded.ownerSocketUrl ?? embedded.ownerUrl;
      logger.info(
        { port: embedded.port, socket: embedded.ownerSocketUrl !== null },
        "embedded PostgreSQL started",
      );
    }
    const appPassword =
      options.appPassword ?? (await appDatabasePassword(dataDir, process.env.DATABASE_APP_PASSWORD));
    await preparePostgres({ ownerUrl, appRole, appPassword });
    const tracing = activeTracing();
    const db = connectPostgres(
      withUser(ownerUrl, appRole, appPassword),
      tracing ? { trace: tracing.statement } : {},
    );
    stops.push(() => db.destroy());
    const recordKeys = await openRecordKeys(dataDir, config.kms, ownerUrl);
    stops.push(sealEarlierRecordsInBackground(db, ownerUrl, recordKeys, logger));

    // pg-boss's own errors (maintenance, polling) reach the log by name and code only: a
    // database error's message can quote values. It retries many times a second while the
    // database is down, so repeats of one kind are counted rather than each written.
    const boss = await startBoss({
      ownerUrl,
      appRole,
      onError: repeatsCounted((facts) => logger.warn(facts, "job queue background error")),
    });
    stops.push(() => boss.stop({ graceful: true }));

    const origin = new URL(config.publicUrl).origin;
    const { s3, blobs } = await startStorage(config, dataDir, origin, logger, stops);

    let liveStats: (() => LiveGauge) | undefined;
    const metrics = config.metrics
      ? createMetrics({
          live: () => liveStats?.() ?? { streams: 0, bufferedFrames: 0, droppedStreams: 0, delivering: 0 },
          queues: async () => (await boss.getQueues()).map(queueGauge),
          pool: () => poolUsage(db),
        })
      : null;
    const { email, sms } = notificationSenders(config, dataDir, logger, metrics);

    // Live updates (MSG-2): a process that serves clients listens; every process rings the doorbell
    // after commits that appended events, so listeners anywhere read them.
    let live: RunningLive | null = null;
    if (config.notificationWorker !== "only") {
      live = await startLive({
        ownerUrl,
        appDb: db,
        readerPassword: liveReaderPassword(appPassword),
        logger,
      });
      const running = live;
      stops.push(() => running.stop());
    }
    const doorbell = live?.doorbell ?? createEventDoorbell(db);
    // FILE-6: every upload is scanned by clamd when configured; without one (development, or
    // production told so explicitly) files are shared once their bytes pass the checks.
    const { clamd } = config;
    const scanner = clamd ? createClamdScanner(clamd) : null;
    if (clamd) logger.info({ clamd: "socketPath" in clamd ? "socket" : "tcp" }, "malware scanning by clamd");
    else
      logger.warn(
        "no malware scanner: uploads are shared without a malware scan (set CLAMD_SOCKET, or CLAMD_HOST and CLAMD_PORT)",
      );
    const domain: NotificationDeps = {
      uow: createLivePostgresUnitOfWork(db, {
        notificationQueue: pgBossNotificationQueue(boss),
        fileScans: pgBossFileScanQueue(boss),
        webhookQueue: pgBossWebhookQueue(boss),
        scheduledQueue: pgBossScheduledMessageQueue(boss),
        broadcastTurns: pgBossBroadcastTurns(boss),
        filePreviews: pgBossFilePreviewQueue(boss),
        doorbell,
        recordKeys,
      }),
      blobs,
      ...(scanner ? { scanner } : {}),
      previewer: createSharpImagePreviewer(),
      clock: systemClock,
      ids: uuidV7Ids,
      links: { staffApp: `${origin}/staff`, patientPortal: `${origin}/portal` },
      email,
      sms,
    };
    const chat = createClinicChat(domain);
    const auth = createAuth({
      store: createPostgresAuthStore(db, { doorbell, recordKeys }),
      clock: systemClock,
      mailer: config.mail.smtpUrl
        ? createSmtpMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from })
        : createLocalMailer({ directory: resolve(dataDir, "mail"), from: config.mail.from }),
      config,
      ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
    });

    if (config.notificationWorker !== "off") {
      const workers = await startWorkers({
        boss,
        chat,
        domain,
        ownerUrl,
        scanning: scanner !== null,
        config,
      });
      stops.push(() => workers.stop());
    }

    await options.beforeListen?.({ ownerUrl, domain, auth, dataDir });

    let url: string | null = null;
    if (config.notificationWorker !== "only") {
      const webDist = resolve(import.meta.dirname, "../../../web/dist");
      const liveService = live
        ? createLiveService({
            feed: live.feed,
            membership: live.membership,
            typing: live.typing,
            sessions: cookieSessionCheck(auth.sessionResolver, auth.service.cookie),
            streamsPerSession: config.liveStreamsPerSession,
            heartbeatMs: config.liveHeartbeatMs,
            ...(metrics
              ? { observeDeliveryLag: (seconds: number) => metrics.observeDeliveryLag(seconds) }
              : {}),
            logger,
          })
        : undefined;
      if (liveService) liveStats = () => liveGauge(liveService.stats());
      const apiDeps = apiDepsFrom(
        domain,
        async () => {
          await sql`select 1`.execute(db);
          return true;
        },
        auth.service,
        { logger },
      );
      // The client's address as the proxies in front of us report it (config checked it already).
      const addressOf = clientAddress(config.trustedProxies);
      const http = createHttpServer({
        deps: liveService ? { ...apiDeps, live: liveService } : apiDeps,
        clientAddress: addressOf,
        sessionResolver: auth.sessionResolver,
        logger,
        allowedOrigins: [origin],
        secure: config.publicUrl.startsWith("https://"),
        connectSources: [new URL(s3.endpoint ?? "https://s3.amazonaws.com").origin],
        fhirTokenKey: fhirTokenKey(appPassword),
        ...(metrics ? { observeRequest: (o: RequestObservation) => metrics.observeRequest(o) } : {}),
        ...(existsSync(resolve(webDist, "index.html")) ? { staticDir: webDist } : {}),
        // live.events over the hand-written SSE endpoint (same wire format as tRPC's).
        ...(liveService
          ? {
              liveSse: createLiveSse({
                live: liveService,
                api: apiDeps,
                sessionResolver: auth.sessionResolver,
                logger,
                clientAddress: addressOf,
              }),
            }
          : {}),
      });
      const address = await http.listen(config.port, config.host);
      stops.push(async () => {
        // Streams end first (clients reconnect elsewhere), then in-flight requests finish.
        liveService?.close();
        await http.close();
      });
      url = address.url;
    }
    let metricsUrl: string | null = null;
    if (metrics && config.metrics) {
      const server = await startMetricsServer(metrics, config.metrics.port, config.metrics.host);
      stops.push(() => server.close());
      metricsUrl = server.url;
      logger.info({ url: metricsUrl }, "metrics listening");
    }
    return { url, ownerUrl, domain, auth, dataDir, metricsUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
