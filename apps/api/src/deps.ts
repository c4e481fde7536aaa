import { type ClinicChat, createClinicChat, type NotificationDeps } from "@clinic-chat/domain";
import type { Logger } from "pino";
import type { AuthService } from "./auth/createAuth";
import type { LiveService } from "./live/createLiveService";
import { createSendBatcher, type SendBatcher } from "./sends/sendBatcher";
import { errorName } from "./start/errorFacts";
import { type WebhookUseCases, webhookUseCases } from "./webhooks/webhookUseCases";

/** What the API needs from the composition root. */
export interface ApiDeps {
  /** Every use case, bound to its ports. */
  readonly chat: ClinicChat;
  /** `messages.send`: the chat's sends, batched when many arrive together. */
  readonly sends: SendBatcher;
  /** Clinic Settings › Webhooks (INTEG-4). */
  readonly webhooks: WebhookUseCases;
  /** Readiness (`GET /ready`): true when the database, storage and the rest answer. */
  readonly ready: () => Promise<boolean>;
  /** Sign-in (`createAuth(…).service`); the `auth` procedures and `patients.invite` fail without it. */
  readonly auth?: AuthService;
  /** Live updates (`createLiveService(…)`); `live.events` answers NOT_IMPLEMENTED without it. */
  readonly live?: LiveService;
}

/** Builds {@link ApiDeps} from the domain's ports (and sign-in, when wired). */
export function apiDepsFrom(
  domain: NotificationDeps,
  ready: () => Promise<boolean>,
  auth?: AuthService,
  options: { readonly logger?: Pick<Logger, "warn"> } = {},
): ApiDeps {
  const chat = createClinicChat(domain);
  const onSharedFailure = options.logger ? sharedFailureLog(options.logger) : undefined;
  return {
    chat,
    sends: createSendBatcher((requests) =>
      chat.sendMessages(requests, onSharedFailure ? { onSharedFailure } : {}),
    ),
    webhooks: webhookUseCases(domain),
    ready,
    ...(auth ? { auth } : {}),
  };
}

/**
 * The log line of a batch of sends whose shared unit of work failed (its sends then ran one by
 * one): how many, the error's class and, for a database error, its SQLSTATE. Never the message,
 * which can quote values (SEC-5).
 */
export function sharedFailureLog(logger: Pick<Logger, "warn">) {
  return (error: unknown, sends: number): void => {
    const code = (error as { code?: unknown } | null)?.code;
    logger.warn(
      {
        sends,
        err: errorName(error),
        ...(typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? { sqlState: code } : {}),
      },
      "a batch of sends failed as a whole; its sends ran one by one",
    );
  };
}
