import type { PersonRef } from "../people/people";

/** One message as the search index keeps it: its ids, its time and the terms that find it. */
export interface IndexedMessage {
  readonly messageId: string;
  readonly conversationId: string;
  readonly sentAt: Date;
  /** {@link searchTermsOf} of the message's text: the store keeps them keyed, never as written. */
  readonly terms: readonly string[];
}

/** Where a search looks: the conversations `person` takes part in, or only one of them. */
export interface SearchScope {
  readonly person: PersonRef;
  readonly conversationId: string | null;
}

/** A message found, with how many of the query's words found it. */
export interface IndexHit {
  readonly messageId: string;
  readonly conversationId: string;
  readonly sentAt: Date;
  readonly matched: number;
}

/** Where a page of hits continues: after this hit, in the order of {@link SearchIndex.find}. */
export type HitPosition = Pick<IndexHit, "messageId" | "sentAt" | "matched">;

/**
 * The keyed word index of the clinic's messages (SRCH-1): terms are kept only as keyed digests
 * under the clinic's search key, so the index holds no word as written.
 */
export interface SearchIndex {
  /** Indexes posted messages, in the unit of work that posts them. */
  add(messages: readonly IndexedMessage[]): Promise<void>;
  /** Forgets messages: they are found no more (DEL-2). */
  forget(messageIds: readonly string[]): Promise<void>;
  /**
   * Messages holding any of `words` (each one term) in the scope, those holding the most of
   * them first, then the newest, then by id; after `after` when given; at most `limit`.
   */
  find(
    words: readonly string[],
    scope: SearchScope,
    page: { readonly after: HitPosition | null; readonly limit: number },
  ): Promise<IndexHit[]>;
}
