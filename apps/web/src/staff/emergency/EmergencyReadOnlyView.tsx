import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../rpc/errors";
import { useTRPC, useTRPCClient } from "../../rpc/trpc";
import type { MessageView } from "../../rpc/types";
import { ErrorText, Loading } from "../../ui/Feedback";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * The conversation as an admin reads it through emergency access (REC-7): who is in it and its
 * messages, newest first, with files to download; nothing to write with, nothing marked read.
 */
export function EmergencyReadOnlyView({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const details = useQuery(trpc.conversations.open.queryOptions({ conversationId }));
  // By hand: tRPC's infinite options add a `direction` field the strict input refuses.
  const history = useInfiniteQuery({
    queryKey: ["staff", "emergency", conversationId],
    queryFn: ({ pageParam }) =>
      client.conversations.history.query({ conversationId, limit: 50, beforeSeq: pageParam }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBeforeSeq,
  });
  const download = useMutation({
    mutationFn: (fileId: string) => client.files.download.mutate({ fileId }),
    onSuccess: (link) => window.open(link.url, "_blank", "noopener"),
  });
  if (details.isPending) return <Loading />;
  if (details.isError) return <ErrorText>{errorMessage(details.error)}</ErrorText>;
  const people = new Map(details.data.participants.map((p) => [`${p.kind}:${p.id}`, p.name]));
  const nameOf = (m: MessageView) =>
    people.get(`${m.sender.kind}:${m.sender.id}`) ?? "Someone no longer here";
  const messages = history.data?.pages.flatMap((page) => page.messages) ?? [];
  return (
    <section className="card emergency__conversation" aria-labelledby="emergency-people">
      <h2 id="emergency-people">{details.data.participants.map((p) => p.name).join(", ")}</h2>
      {history.isError ? <ErrorText>{errorMessage(history.error)}</ErrorText> : null}
      <ErrorText>{download.isError ? errorMessage(download.error) : null}</ErrorText>
      <ol className="emergency__messages" aria-label="Messages, newest first">
        {messages.map((m) => (
          <li key={m.id} className="emergency__message">
            <p className="emergency__meta">
              <strong>{nameOf(m)}</strong> <time dateTime={m.sentAt}>{when.format(new Date(m.sentAt))}</time>
            </p>
            {m.body.kind === "text" ? <p className="emergency__text">{m.body.text}</p> : null}
            {m.body.kind === "file" ? (
              <p>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => m.body.kind === "file" && download.mutate(m.body.file.id)}
                >
                  Download {m.body.file.name}
                </button>
              </p>
            ) : null}
            {m.body.kind === "deleted" ? <p className="hint">Message deleted</p> : null}
          </li>
        ))}
      </ol>
      {history.data && messages.length === 0 ? <p>No messages yet.</p> : null}
      {history.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void history.fetchNextPage()}
          disabled={history.isFetchingNextPage}
        >
          Show older messages
        </button>
      ) : null}
    </section>
  );
}
