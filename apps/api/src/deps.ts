import {
  type ClinicChat,
  createClinicChat,
  type NotificationDeps,
  type UnitOfWork,
} from "@clinic-chat/domain";
import type { AuthService } from "./auth/createAuth";
import type { LiveService } from "./live/createLiveService";
import { createSendBatcher, type SendBatcher } from "./sends/sendBatcher";

/** What the API needs from the composition root. */
export interface ApiDeps {
  /** Every use case, bound to its ports. */
  readonly chat: ClinicChat;
  /** `messages.send`: the chat's sends, batched when many arrive together. */
  readonly sends: SendBatcher;
  /** For the few reads the domain has no use case for; see `src/reads`. */
  readonly uow: UnitOfWork;
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
): ApiDeps {
  const chat = createClinicChat(domain);
  return {
    chat,
    sends: createSendBatcher((requests) => chat.sendMessages(requests)),
    uow: domain.uow,
    ready,
    ...(auth ? { auth } : {}),
  };
}
