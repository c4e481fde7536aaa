import type { BroadcastTurn } from "../broadcasts/ports";
import type { FileScan } from "../files/ports";
import type { FilePreviewJob } from "../files/previews";
import type { NotificationTimer } from "../notifications/model";
import type { ScheduledDue } from "../scheduled/ScheduledMessage";
import type { Stores, UnitOfWork } from "../shared/UnitOfWork";
import { deepCopy } from "./deepCopy";
import { inMemoryAppointments } from "./inMemory/appointments";
import { inMemoryAudit } from "./inMemory/audit";
import { inMemoryBroadcasts, inMemoryBroadcastTurns } from "./inMemory/broadcasts";
import { inMemoryConversations } from "./inMemory/conversations";
import { inMemoryEmergencyAccess } from "./inMemory/emergency";
import { inMemoryEvents } from "./inMemory/events";
import { inMemoryFilePreviews, inMemoryFileScans, inMemoryFiles } from "./inMemory/files";
import { inMemoryInbox } from "./inMemory/inbox";
import { inMemoryIntegration } from "./inMemory/integration";
import { inMemoryMessages } from "./inMemory/messages";
import { inMemoryNotificationQueue, inMemoryNotifications } from "./inMemory/notifications";
import { inMemoryClinics, inMemoryDirectory } from "./inMemory/people";
import { inMemoryRecords } from "./inMemory/records";
import { inMemorySearchIndex } from "./inMemory/search";
import { inMemoryScheduledMessages, inMemoryScheduledQueue, inMemoryTemplates } from "./inMemory/templates";
import { inMemoryWebhookQueue, inMemoryWebhooks } from "./inMemory/webhooks";
import { clinicView, emptyWorld, type World } from "./inMemory/world";

/**
 * The domain's ports in memory, with the semantics of the real database: each `run` is one
 * serialised transaction bound to one clinic (what it wrote is discarded if it throws), and
 * nothing of another clinic can be seen through its stores. For tests and for products that
 * embed the domain without a database.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  private world: World = emptyWorld();
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `work` in a transaction bound to `clinicId`. */
  run<T>(clinicId: string, work: (stores: Stores) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      const draft = deepCopy(this.world);
      const value = await work(storesFor(draft, clinicId));
      this.world = draft;
      return value;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Timers scheduled by committed units of work, oldest first (for tests and the in-memory worker). */
  scheduledTimers(): readonly { timer: NotificationTimer; runAt: Date }[] {
    return deepCopy(this.world.timers);
  }

  /**
   * Takes the scans waiting (FILE-6), oldest first, as a worker fetching its jobs does; a scan
   * that fails is scheduled again by the caller.
   */
  takeFileScans(): FileScan[] {
    const scans = deepCopy(this.world.fileScans);
    this.world.fileScans = [];
    return scans;
  }

  /** Takes the webhook delivery jobs asked for (INTEG-4), oldest first, as the worker fetches them. */
  takeWebhookJobs(): { clinicId: string; conversationId: string; runAt: Date | null }[] {
    const jobs = deepCopy(this.world.webhookJobs);
    this.world.webhookJobs = [];
    return jobs;
  }

  /** Scheduled messages handed to the queue by committed units of work, with their times (SCHED-1). */
  scheduledDue(): readonly ScheduledDue[] {
    return deepCopy(this.world.scheduledDue);
  }

  /** Takes the broadcast turns waiting (BCAST-1), as a worker fetching its jobs does. */
  takeBroadcastTurns(): { turn: BroadcastTurn; at: Date }[] {
    const turns = deepCopy(this.world.broadcasts.turns);
    this.world.broadcasts.turns = [];
    return turns;
  }

  /** Takes the preview jobs waiting (FILE-7), oldest first, as a worker fetching its jobs does. */
  takeFilePreviews(): FilePreviewJob[] {
    const jobs = deepCopy(this.world.filePreviews);
    this.world.filePreviews = [];
    return jobs;
  }

  /** Every committed row of every table, for tests that search storage for content that must be gone. */
  dump(): unknown {
    return deepCopy(this.world);
  }
}

function storesFor(world: World, clinicId: string): Stores {
  const view = clinicView(world, clinicId);
  return {
    clinics: inMemoryClinics(view),
    directory: inMemoryDirectory(view),
    conversations: inMemoryConversations(view),
    messages: inMemoryMessages(view),
    files: inMemoryFiles(view),
    events: inMemoryEvents(view),
    audit: inMemoryAudit(view),
    notifications: inMemoryNotifications(view),
    notificationQueue: inMemoryNotificationQueue(view),
    fileScans: inMemoryFileScans(view),
    filePreviews: inMemoryFilePreviews(view),
    appointments: inMemoryAppointments(view),
    inbox: inMemoryInbox(view),
    webhooks: inMemoryWebhooks(view),
    webhookQueue: inMemoryWebhookQueue(view),
    templates: inMemoryTemplates(view),
    scheduledMessages: inMemoryScheduledMessages(view),
    scheduledQueue: inMemoryScheduledQueue(view),
    integration: inMemoryIntegration(view),
    broadcasts: inMemoryBroadcasts(view),
    broadcastTurns: inMemoryBroadcastTurns(view),
    records: inMemoryRecords(view),
    emergencyAccess: inMemoryEmergencyAccess(view),
    search: inMemorySearchIndex(view),
  };
}
