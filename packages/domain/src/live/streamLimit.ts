import { allow, type Decision, deny } from "../shared/Decision";

/**
 * How many live streams one signed-in session may hold open by default: every tab and window of a
 * browser has one, and a person rarely keeps more than a few open. A stream holds a connection and
 * buffers on the server, so one session cannot hold thousands of them (OPS-1).
 */
export const defaultStreamsPerSession = 10;

/**
 * OPS-1: may a session that holds `openNow` live streams open another one, with at most
 * `perSession` allowed? Past the limit the new stream is refused and the open ones carry on;
 * closing one frees its place.
 */
export function mayOpenStream(openNow: number, perSession: number): Decision {
  return openNow < perSession ? allow : deny("TOO_MANY_STREAMS", { max: perSession });
}
