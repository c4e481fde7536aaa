import { type InfiniteData, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef, useState } from "react";
import { conversationListKey } from "../chat/useConversations";
import { domainCodeOf, isSignedOut } from "../rpc/errors";
import { useTRPC, useTRPCClient } from "../rpc/trpc";
import type { ConversationPage, PersonRef, PersonView } from "../rpc/types";
import { useAnnounce } from "../ui/Announcer";
import { applyLiveEvent, catchUp, type LiveContext } from "./applyLiveEvent";

/**
 * Whether the live stream is up. `offline` once a connection was lost and is being retried;
 * `too-many-windows` while the server refuses one more stream for this sign-in (OPS-1).
 */
export type LiveStatus = "connecting" | "online" | "offline" | "too-many-windows";

/** How soon a tab refused for too many open windows asks again (a window closed meanwhile frees a place). */
const tooManyWindowsRetryMs = 10_000;

/**
 * Keeps every open page current (MSG-2): one SSE subscription per signed-in tab. The link
 * resumes after a drop from the last event id it received, so the server replays exactly what
 * was missed; until then the app says it is offline.
 */
export function useLiveEvents(me: PersonRef, onSignedOut: () => void): LiveStatus {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [browserOffline, setBrowserOffline] = useState(() => !navigator.onLine);
  const everReady = useRef(false);
  // Events apply one after the other, in the order they came.
  const queue = useRef<Promise<void>>(Promise.resolve());

  const ctx: LiveContext = {
    queryClient,
    client,
    me,
    announce,
    keys: {
      conversationList: conversationListKey,
      conversationOpen: trpc.conversations.open.pathKey(),
      clinic: trpc.clinic.pathKey(),
      portal: trpc.portal.pathKey(),
      practitioners: trpc.people.availablePractitioners.pathKey(),
      inbox: trpc.inbox.pathKey(),
    },
    nameOf: (conversationId, person) => {
      const same = (p: PersonView) => p.kind === person.kind && p.id === person.id;
      const details = queryClient.getQueryData(trpc.conversations.open.queryKey({ conversationId }));
      const list = queryClient.getQueryData<InfiniteData<ConversationPage>>(conversationListKey);
      const found = details?.participants.find(same) ?? list?.pages.flatMap((page) => page.people).find(same);
      return found?.name ?? null;
    },
  };
  const context = useRef(ctx);
  context.current = ctx;

  const subscription = useSubscription(
    trpc.live.events.subscriptionOptions(undefined, {
      onData: (envelope) => {
        if (envelope.data.type === "ready") {
          everReady.current = true;
          setStatus("online");
        }
        queue.current = queue.current
          .then(() => applyLiveEvent(context.current, envelope.data))
          .catch(() => {});
      },
    }),
  );

  const { status: subscriptionStatus, error, reset } = subscription;
  useEffect(() => {
    if (subscriptionStatus === "connecting" && everReady.current) setStatus("offline");
    if (subscriptionStatus !== "error") return;
    if (isSignedOut(error)) {
      onSignedOut();
      return;
    }
    if (domainCodeOf(error) === "TOO_MANY_STREAMS") {
      // Not a network problem: the person is told which, and the tab asks again now and then.
      setStatus("too-many-windows");
      const retry = window.setTimeout(reset, tooManyWindowsRetryMs);
      return () => window.clearTimeout(retry);
    }
    // A refusal the link does not retry by itself (the server restarting, say): start again soon.
    setStatus("offline");
    const retry = window.setTimeout(reset, 3000);
    return () => window.clearTimeout(retry);
  }, [subscriptionStatus, error, reset, onSignedOut]);

  useEffect(() => {
    const update = () => {
      setBrowserOffline(!navigator.onLine);
      // Back online: the stream resumes by itself, but a connection that looked alive may have
      // lost data on the way, so the open pages check with the server as well.
      if (navigator.onLine)
        queue.current = queue.current.then(() => catchUp(context.current)).catch(() => {});
    };
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);

  return browserOffline ? "offline" : status;
}
