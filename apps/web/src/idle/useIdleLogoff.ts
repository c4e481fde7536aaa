import { useCallback, useEffect, useRef, useState } from "react";
import { type IdleState, idleStateAt } from "./idleTimer";

const activityEvents = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "scroll"] as const;

/** Other tabs of the app hear of activity and sign-outs here; the messages carry no data at all. */
const channelName = "clinic-chat-session";
type TabMessage = { kind: "activity"; at: number } | { kind: "signedOut" };

function openChannel(): BroadcastChannel | null {
  return typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(channelName);
}

/** Options of {@link useIdleLogoff}. */
export interface IdleLogoffOptions {
  /** The clinic's idle timeout (`auth.me`). */
  readonly timeoutMinutes: number;
  /** Signs out; called once when the time is up, or when another tab signed out. */
  readonly onExpired: (why: "idle" | "otherTab") => void;
  /** Reaches the server so its own idle clock restarts while the person is really active. */
  readonly keepAlive: () => void;
}

/**
 * SEC-2 in the browser: counts time without keyboard, pointer or scroll activity in any tab of
 * the app, warns before the clinic's idle timeout, then signs out. Activity also touches the
 * server now and then, so a person reading without sending is not signed out by the server while
 * the page thinks they are active. Uses the page's clock, so tests can move it.
 */
export function useIdleLogoff({ timeoutMinutes, onExpired, keepAlive }: IdleLogoffOptions) {
  const timeoutMs = timeoutMinutes * 60_000;
  const lastActivity = useRef(Date.now());
  const lastTouch = useRef(Date.now());
  const [state, setState] = useState<IdleState>({ kind: "active" });
  const expired = useRef(false);
  const channel = useRef<BroadcastChannel | null>(null);
  const lastBroadcast = useRef(0);
  const callbacks = useRef({ onExpired, keepAlive });
  callbacks.current = { onExpired, keepAlive };

  const noteActivity = useCallback(
    (at: number, fromOtherTab: boolean) => {
      if (expired.current || at <= lastActivity.current) return;
      lastActivity.current = at;
      setState((s) => (s.kind === "active" ? s : { kind: "active" }));
      if (fromOtherTab) return;
      // Touch the server a few times per timeout at most, never on every key press.
      if (at - lastTouch.current >= Math.min(60_000, timeoutMs / 4)) {
        lastTouch.current = at;
        callbacks.current.keepAlive();
      }
      if (at - lastBroadcast.current >= 1000) {
        lastBroadcast.current = at;
        channel.current?.postMessage({ kind: "activity", at } satisfies TabMessage);
      }
    },
    [timeoutMs],
  );

  useEffect(() => {
    const onActivity = () => noteActivity(Date.now(), false);
    for (const type of activityEvents)
      window.addEventListener(type, onActivity, { passive: true, capture: true });
    const tabs = openChannel();
    channel.current = tabs;
    if (tabs)
      tabs.onmessage = (event: MessageEvent<TabMessage>) => {
        if (event.data.kind === "activity") noteActivity(event.data.at, true);
        else if (!expired.current) {
          expired.current = true;
          callbacks.current.onExpired("otherTab");
        }
      };
    const tick = window.setInterval(() => {
      if (expired.current) return;
      const next = idleStateAt(Date.now() - lastActivity.current, timeoutMs);
      if (next.kind === "expired") {
        expired.current = true;
        tabs?.postMessage({ kind: "signedOut" } satisfies TabMessage);
        callbacks.current.onExpired("idle");
        return;
      }
      setState((s) =>
        s.kind === next.kind &&
        (s.kind !== "warning" || next.kind !== "warning" || s.secondsLeft === next.secondsLeft)
          ? s
          : next,
      );
    }, 1000);
    return () => {
      for (const type of activityEvents) window.removeEventListener(type, onActivity, { capture: true });
      window.clearInterval(tick);
      tabs?.close();
      channel.current = null;
    };
  }, [noteActivity, timeoutMs]);

  /** "Stay signed in": counts as activity and reaches the server at once. */
  const stay = useCallback(() => {
    lastTouch.current = Date.now();
    callbacks.current.keepAlive();
    noteActivity(Date.now(), false);
  }, [noteActivity]);

  /** Tells the other tabs that this one signed out, so they leave too. */
  const announceSignOut = useCallback(() => {
    expired.current = true;
    channel.current?.postMessage({ kind: "signedOut" } satisfies TabMessage);
  }, []);

  return { state, stay, announceSignOut };
}
