import type { Clock, Ids } from "@clinic-chat/domain";
import { v7 as uuidv7 } from "uuid";

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Random, time-ordered UUIDs (version 7): unique without coordination, free of PHI, and they
 * index well because new ids land at the end of a B-tree.
 */
export const uuidV7Ids: Ids = { newId: () => uuidv7() };
