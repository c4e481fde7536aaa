import type { BlobStore, MalwareScanner } from "../files/ports";
import type { ImagePreviewer } from "../files/previews";
import type { EmailSender, SmsSender } from "../notifications/ports";
import type { Clock, Ids } from "./ports";
import type { UnitOfWork } from "./UnitOfWork";

/** Where people sign in; notifications link there and nowhere more specific (NOTIF-4). */
export interface SignInLinks {
  readonly staffApp: string;
  readonly patientPortal: string;
}

/** What the chat use cases need from the outside world. */
export interface ChatDeps {
  readonly uow: UnitOfWork;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly links: SignInLinks;
  /**
   * FILE-6: scans every upload before anyone else sees it. Absent only where the composition root
   * allows running without one (development): files are then shared once their bytes pass the checks.
   */
  readonly scanner?: MalwareScanner;
  /** FILE-7: makes the renditions of shared images; the preview job needs it. */
  readonly previewer?: ImagePreviewer;
}

/** What the notification worker needs besides the chat's ports. */
export interface NotificationDeps extends ChatDeps {
  readonly email: EmailSender;
  readonly sms: SmsSender;
}
