import type { Stores } from "../shared/UnitOfWork";
import type { Broadcast, BroadcastAudience, BroadcastProgress, BroadcastState } from "./Broadcast";

/** A broadcast as its admins see it: what it says, to whom, when, and how far it got. */
export interface BroadcastView {
  readonly id: string;
  readonly state: BroadcastState;
  readonly content:
    | { readonly kind: "text"; readonly text: string }
    | { readonly kind: "file"; readonly fileName: string | null };
  readonly audience: BroadcastAudience;
  readonly sendAt: Date;
  readonly createdAt: Date;
  readonly progress: BroadcastProgress;
}

/** The view of a broadcast; a file's name is read while its record lasts. */
export async function broadcastView(
  broadcast: Broadcast,
  progress: BroadcastProgress,
  stores: Stores,
): Promise<BroadcastView> {
  const content =
    broadcast.content.kind === "text"
      ? broadcast.content
      : {
          kind: "file" as const,
          fileName: (await stores.broadcasts.file(broadcast.content.fileId))?.name ?? null,
        };
  return {
    id: broadcast.id,
    state: broadcast.state,
    content,
    audience: broadcast.audience,
    sendAt: broadcast.sendAt,
    createdAt: broadcast.createdAt,
    progress,
  };
}

/** No recipient in any status yet. */
export const noProgress: BroadcastProgress = { waiting: 0, sent: 0, skipped: 0, failed: 0, cancelled: 0 };
