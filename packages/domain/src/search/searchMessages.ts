import { decideAccess, readableOf } from "../chat/loadConversation";
import { loadActing } from "../people/loadPerson";
import type { Actor, PersonRef } from "../people/people";
import { type PersonView, personViews } from "../people/personViews";
import { audited, auditRecord } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { HitPosition } from "./ports";
import { type Highlight, snippetOf } from "./snippet";
import { longestQuery, queryWordsOf } from "./words";

/** Largest page of search hits. */
export const maxSearchPage = 50;

/** One message found by {@link searchMessages}, as its reader sees it. */
export interface SearchHit {
  readonly messageId: string;
  readonly conversation: {
    readonly id: string;
    readonly kind: "patient" | "team";
    readonly name: string | null;
    readonly patientId: string | null;
  };
  readonly seq: number;
  readonly sender: PersonRef;
  readonly sentAt: Date;
  /** The message's text around its found words, and where they stand in it. */
  readonly snippet: string;
  readonly highlights: readonly Highlight[];
  /** How many of the query's words the message holds (the first rank). */
  readonly matched: number;
}

/** A page of {@link searchMessages}: its hits, the people they name, and where the next page starts. */
export interface SearchPage {
  readonly hits: SearchHit[];
  /**
   * How many words the query searched for (after folding, repeats and one-letter words left out):
   * a hit whose `matched` is fewer holds only some of them.
   */
  readonly words: number;
  readonly people: PersonView[];
  readonly nextCursor: string | null;
}

/** What {@link searchMessages} takes. */
export interface SearchRequest {
  readonly query: string;
  /** Only this conversation; null or absent: every conversation the actor takes part in. */
  readonly conversationId?: string | null;
  readonly cursor?: string | null;
  readonly limit: number;
}

/**
 * SRCH-1: staff search the text of the messages of the conversations they may read (ELIG-4,
 * ELIG-5, ELIG-6, decided here on each found conversation by the rule a history read applies), those
 * holding the most of the query's words first, then the newest. A hit is opened only once its
 * conversation is allowed (a page's allowed hits are opened together), and its snippet and
 * highlights are taken from the opened text; a deleted message is never found. Patients may not search (FORBIDDEN).
 *
 * Audited as an access to PHI (SEC-3) by ids and counts only: one `message.search` record for the
 * search (with its conversation when it asks for one) and one per conversation whose messages it
 * shows, with their count. The query's words reach no record, error or store but the keyed index.
 */
export function searchMessages(deps: ChatDeps, actor: Actor, request: SearchRequest): Promise<SearchPage> {
  return audited(deps, actor, "message.search", async (stores, targets) => {
    targets.conversationId = request.conversationId ?? null;
    const staff = await loadActing(stores, actor, { as: "staff" });
    const words = checkQuery(request);
    const after = request.cursor ? positionOf(request.cursor) : null;
    const reading = { at: deps.clock.now() };
    if (request.conversationId) {
      decideAccess(
        actor,
        await stores.conversations.accessFacts(request.conversationId, actor.person),
        reading,
      );
    }
    const scope = { person: actor.person, conversationId: request.conversationId ?? null };
    const found = await stores.search.find(words, scope, { after, limit: request.limit + 1 });
    const page = found.slice(0, request.limit);
    const allowed = readableOf(
      { kind: "staff", staff },
      await stores.conversations.standingsIn(
        [...new Set(page.map((hit) => hit.conversationId))],
        actor.person,
      ),
      reading,
    );
    // Only the hits of allowed conversations are opened, all of them together.
    const readable = page.filter((hit) => allowed.has(hit.conversationId));
    const opened = new Map(
      (await stores.messages.getMany(readable.map((hit) => hit.messageId))).map((message) => [
        message.id,
        message,
      ]),
    );
    const hits: SearchHit[] = [];
    const shown = new Map<string, number>();
    for (const hit of readable) {
      const standing = allowed.get(hit.conversationId);
      if (!standing) continue;
      const message = opened.get(hit.messageId);
      if (message?.body.kind !== "text" || message.conversationId !== hit.conversationId) continue;
      const snippet = snippetOf(message.body.text, words);
      // A keyed digest shared by two words by chance finds a message that holds neither.
      if (snippet.matched === 0) continue;
      const { conversation } = standing;
      hits.push({
        messageId: message.id,
        conversation: {
          id: conversation.id,
          kind: conversation.kind,
          name: conversation.name,
          patientId: conversation.patientId,
        },
        seq: message.seq,
        sender: message.sender,
        sentAt: message.sentAt,
        snippet: snippet.text,
        highlights: snippet.highlights,
        matched: snippet.matched,
      });
      shown.set(conversation.id, (shown.get(conversation.id) ?? 0) + 1);
    }
    await stores.audit.appendAll(
      [...shown].map(([conversationId, count]) =>
        auditRecord(deps, actor, "message.search", { conversationId }, "success", `hits=${count}`),
      ),
    );
    const people = await personViews(stores, [
      ...hits.map((hit) => hit.sender),
      ...hits.flatMap((hit) =>
        hit.conversation.patientId ? [{ kind: "patient" as const, id: hit.conversation.patientId }] : [],
      ),
    ]);
    const last = page[page.length - 1];
    return {
      hits,
      words: words.length,
      people,
      nextCursor: found.length > request.limit && last ? cursorOf(last) : null,
    };
  });
}

/** The query's words, or the refusal that names the field: nothing else of the query is told. */
function checkQuery(request: SearchRequest): string[] {
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > maxSearchPage) {
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit", max: maxSearchPage });
  }
  if (request.query.length > longestQuery) {
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "query", max: longestQuery });
  }
  const words = queryWordsOf(request.query);
  if (words.length === 0) {
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "query", problem: "no_words" });
  }
  return words;
}

/** A page's cursor: the position of its last hit, ids and counts only. */
function cursorOf(hit: HitPosition): string {
  return `${hit.matched}.${hit.sentAt.getTime()}.${hit.messageId}`;
}

function positionOf(cursor: string): HitPosition {
  const match = /^(\d{1,2})\.(\d{1,15})\.(.{1,100})$/.exec(cursor);
  if (!match) throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "cursor" });
  return { matched: Number(match[1]), sentAt: new Date(Number(match[2])), messageId: match[3]! };
}
