import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPCClient } from "../../rpc/trpc";
import type { Outputs } from "../../rpc/types";
import { ErrorText, Loading } from "../../ui/Feedback";
import { Icon } from "../../ui/Icon";
import { formatMessageTime } from "../formatTime";
import type { OpenSearch } from "./searchMemory";

type SearchPage = Outputs["search"]["messages"];
type Hit = SearchPage["hits"][number];

/**
 * SRCH-1: search the messages of one's conversations. The results show each found message in
 * context with the found words marked, its conversation, sender and time; choosing one opens its
 * conversation at the message. The query lives only in memory (this component and the signed-in
 * frame's `searchMemory`) and the request: never in the address bar, storage or logs, and it
 * travels in a request's body, never in a URL.
 */
export function MessageSearch({
  search,
  onChange,
  onClose,
}: {
  /** What was searched, kept by the page while its conversations are opened (see `searchMemory`). */
  search: OpenSearch;
  onChange: (search: OpenSearch) => void;
  onClose: () => void;
}) {
  const client = useTRPCClient();
  const { query } = search;
  const [typed, setTypedHere] = useState(query ?? "");
  const setTyped = (next: string) => {
    setTypedHere(next);
    // Clearing the box clears the results with it: no results stand under an empty box.
    if (next.trim() === "" && query !== null) onChange({ query: null });
  };
  const input = useRef<HTMLInputElement>(null);
  // A search just opened takes the keyboard; one shown again beside a conversation opened from
  // it leaves the keyboard where the conversation put it.
  const opened = useRef(query === null);
  useEffect(() => {
    if (opened.current) input.current?.focus();
  }, []);
  const results = useInfiniteQuery({
    queryKey: ["search.messages", query],
    queryFn: ({ pageParam }) =>
      client.search.messages.mutate({ query: query ?? "", cursor: pageParam, limit: 20 }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: query !== null,
    gcTime: 0,
    retry: false,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const words = typed.trim();
    onChange({ query: words.length > 0 ? words : null });
  };
  const pages = results.data?.pages ?? [];
  const hits = pages.flatMap((page) => page.hits);
  const people = new Map(pages.flatMap((page) => page.people).map((p) => [`${p.kind}:${p.id}`, p.name]));
  const blank = typed.trim().length === 0;
  // Hits are ranked by how many of the query's words they hold: those with all of them first.
  const words = pages[0]?.words ?? 1;
  const shown = hits.map((hit, index) => ({ hit, index }));
  const allWords = shown.filter(({ hit }) => hit.matched >= words);
  const someWords = shown.filter(({ hit }) => hit.matched < words);
  const found = useRef<HTMLDivElement>(null);
  // "Show more results" hands the keyboard to the first newly shown message, so it is not lost
  // when the button goes away with the last page.
  const moreFrom = useRef<number | null>(null);
  useEffect(() => {
    const from = moreFrom.current;
    if (from === null || hits.length <= from) return;
    moreFrom.current = null;
    found.current?.querySelector<HTMLElement>(`[data-hit="${from}"]`)?.focus();
  }, [hits.length]);
  return (
    <section className="message-search" aria-labelledby="message-search-title">
      <div className="chat-page__head">
        <h2 id="message-search-title">Search messages</h2>
        <button type="button" className="button button--icon button--ghost" onClick={onClose}>
          <Icon name="close" />
          <span className="visually-hidden">Close search</span>
        </button>
      </div>
      <search>
        <form className="message-search__form" onSubmit={submit}>
          <label htmlFor="message-search-query" className="visually-hidden">
            Words to find
          </label>
          <input
            id="message-search-query"
            ref={input}
            type="search"
            className="input"
            maxLength={100}
            placeholder="e.g. appointment"
            autoComplete="off"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            onKeyDown={(event) => {
              // Escape empties the box first (and its results with it), then closes the search.
              if (event.key !== "Escape") return;
              event.preventDefault();
              if (typed !== "") setTyped("");
              else onClose();
            }}
          />
          <button type="submit" className="button button--primary" disabled={blank}>
            Search
          </button>
        </form>
      </search>
      {query === null ? (
        <p className="hint">
          Find a message in your conversations: type a word or its beginning, like “appoin” for “appointment”.
        </p>
      ) : null}
      {results.isFetching && !results.isFetchingNextPage ? <Loading label="Searching…" /> : null}
      {results.isError ? <ErrorText>{searchError(results.error)}</ErrorText> : null}
      {results.isSuccess && hits.length === 0 ? (
        <p className="hint" role="status">
          No messages found. Search looks through the conversations you take part in: try fewer words, or at
          least the first three letters of a word.
        </p>
      ) : null}
      {results.isSuccess && hits.length > 0 ? (
        <p className="hint" role="status">
          {results.hasNextPage ? `${hits.length} messages shown, more below` : countOf(hits.length)}
        </p>
      ) : null}
      {hits.length > 0 ? (
        <div className="message-search__found" ref={found}>
          {allWords.length > 0 ? (
            <ol className="message-search__results" aria-label="Messages found">
              {allWords.map(({ hit, index }) => hitItem(hit, index, people))}
            </ol>
          ) : null}
          {someWords.length > 0 ? (
            <>
              <h3 id="message-search-some" className="message-search__some">
                {allWords.length > 0
                  ? "With some of your words"
                  : "No message has all your words; these have some"}
              </h3>
              <ol className="message-search__results" aria-labelledby="message-search-some">
                {someWords.map(({ hit, index }) => hitItem(hit, index, people))}
              </ol>
            </>
          ) : null}
        </div>
      ) : null}
      {results.hasNextPage ? (
        <button
          type="button"
          className="button button--small"
          disabled={results.isFetchingNextPage}
          onClick={() => {
            moreFrom.current = hits.length;
            void results.fetchNextPage();
          }}
        >
          {results.isFetchingNextPage ? "Loading more…" : "Show more results"}
        </button>
      ) : null}
    </section>
  );
}

/** One found message: its conversation, sender, time and the words found in context. */
function hitItem(hit: Hit, index: number, people: Map<string, string>): ReactNode {
  return (
    <li key={hit.messageId}>
      <Link
        className="message-search__hit"
        data-hit={index}
        to="/staff/chat/$conversationId"
        params={{ conversationId: hit.conversation.id }}
        search={{ message: hit.messageId, seq: hit.seq }}
      >
        <span className="message-search__where">
          <strong>{conversationLabel(hit, people)}</strong>
          <time dateTime={String(hit.sentAt)}>{formatMessageTime(String(hit.sentAt))}</time>
        </span>
        <span className="message-search__who">
          From {people.get(`${hit.sender.kind}:${hit.sender.id}`) ?? "a former participant"}
        </span>
        <span className="message-search__snippet">{marked(hit)}</span>
      </Link>
    </li>
  );
}

/** How many messages were found, in words. */
function countOf(found: number): string {
  return found === 1 ? "1 message found" : `${found} messages found`;
}

/** The conversation a hit is in, in words. */
function conversationLabel(hit: Hit, people: Map<string, string>): string {
  if (hit.conversation.name) return hit.conversation.name;
  if (hit.conversation.patientId)
    return people.get(`patient:${hit.conversation.patientId}`) ?? "Patient conversation";
  return "Team Chat";
}

/** The snippet with its found words in <mark>. */
function marked(hit: Hit): ReactNode[] {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const { start, end } of hit.highlights) {
    if (start < at) continue;
    parts.push(hit.snippet.slice(at, start));
    parts.push(<mark key={start}>{hit.snippet.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(hit.snippet.slice(at));
  return parts;
}

/** A refusal of the query in plain words; anything else as any other error. */
function searchError(error: unknown): string {
  const data = (error as { data?: { domainCode?: string } } | null)?.data;
  if (
    data?.domainCode === "INVALID_INPUT" ||
    (error as { data?: { code?: string } })?.data?.code === "BAD_REQUEST"
  ) {
    return "Type at least one word of two or more letters or digits, up to 100 characters.";
  }
  return errorMessage(error);
}
