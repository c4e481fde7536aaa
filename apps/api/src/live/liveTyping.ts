import {
  type Actor,
  DomainError,
  mayAnnounceTyping,
  type TypingNotice,
  typingShownMs,
  typingTooSoon,
} from "@clinic-chat/domain";
import type { LiveMembershipSource } from "./liveDecide";

/** Where typing notices travel between processes (the adapters' `startTypingChannel` is one). */
export interface LiveTypingChannel {
  announce(notice: TypingNotice): Promise<void>;
  listen(listener: (notice: TypingNotice) => void): () => void;
}

/**
 * The sending side of the typing indicator: the typist's participation is decided by the domain
 * (`mayAnnounceTyping`, from the conversations the membership port reads: no write, no audit
 * record, nothing of the notice kept), repeats inside one interval are dropped, and the notice goes
 * out on the channel, which brings it back to every process (this one too) for delivery.
 */
export class LiveTyping {
  /** When each typist's last notice in a conversation went out, by clinic, conversation and person. */
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly channel: LiveTypingChannel,
    private readonly membership: LiveMembershipSource,
    private readonly now: () => number = Date.now,
  ) {}

  /** Announces that `actor` is typing in `conversationId`; NOT_FOUND when they take no part in it. */
  async announce(actor: Actor, conversationId: string): Promise<void> {
    const key = `${actor.clinicId}|${conversationId}|${actor.person.kind}|${actor.person.id}`;
    const now = this.now();
    if (typingTooSoon(this.lastSent.get(key), now)) return;
    const membership = await this.membership.conversationsOf(actor.clinicId, actor.person);
    const refusal = mayAnnounceTyping(
      { clinicId: actor.clinicId, person: actor.person, membership, seesChat: true },
      conversationId,
    );
    if (refusal) throw new DomainError(refusal);
    this.forgetOld(now);
    this.lastSent.set(key, now);
    await this.channel.announce({ clinicId: actor.clinicId, conversationId, person: actor.person });
  }

  /** Keeps the map to the typists of the last few seconds. */
  private forgetOld(now: number): void {
    if (this.lastSent.size < 1_000) return;
    for (const [key, at] of this.lastSent) if (now - at > typingShownMs) this.lastSent.delete(key);
  }
}
