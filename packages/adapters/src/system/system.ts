import { randomFillSync } from "node:crypto";
import type { Clock, Ids } from "@clinic-chat/domain";
import { v7 as uuidv7 } from "uuid";

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Random bytes for ids, drawn from the operating system 4 KiB at a time: a send makes several ids,
 * and one call per id (as `uuid` makes by default) is a noticeable share of a send's CPU.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function random16(): Uint8Array {
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  return bytes;
}

/** Time and counter of the last id: ids made in one millisecond keep their order (RFC 9562 §6.2). */
let lastMs = Number.NEGATIVE_INFINITY;
let counter = 0;

/**
 * Random, time-ordered UUIDs (version 7): unique without coordination, free of PHI, and they
 * index well because new ids land at the end of a B-tree. Within a millisecond a 32-bit counter,
 * started at a random 31-bit value, keeps them increasing; should it wrap, the time moves on by one.
 */
export const uuidV7Ids: Ids = {
  newId: () => {
    const random = random16();
    const now = Date.now();
    if (now > lastMs) {
      counter = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
      lastMs = now;
    } else {
      counter = (counter + 1) | 0;
      if (counter === 0) lastMs++;
    }
    return uuidv7({ random, msecs: lastMs, seq: counter });
  },
};
