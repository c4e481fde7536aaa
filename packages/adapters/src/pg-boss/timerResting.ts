import type { Resting } from "@clinic-chat/domain";

/**
 * The domain's background pace on this process's own clock and timers: a job that rests between
 * its parts (`inTurns`) gives the event loop and the database to live chat meanwhile.
 */
export const timerResting: Resting = {
  elapsedMs: () => performance.now(),
  rest: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
