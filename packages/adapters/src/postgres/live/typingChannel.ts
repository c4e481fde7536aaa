import type { PersonRef, TypingNotice } from "@clinic-chat/domain";
import { openPostgres } from "../openPostgres";

/** The NOTIFY channel of typing notices between API processes. */
export const typingChannelName = "clinic_chat_typing";

/**
 * Typing notices between the API processes: PostgreSQL's NOTIFY, which keeps nothing (no table,
 * no log: a notice nobody listens to is gone), so "someone is typing" is never stored. Each
 * process also hears its own notices, so one path delivers to every stream wherever it is.
 */
export interface TypingChannel {
  /** Tells every listening process (this one included). A failed NOTIFY is dropped: the next repeat follows. */
  announce(notice: TypingNotice): Promise<void>;
  /** Adds a listener; returns its removal. */
  listen(listener: (notice: TypingNotice) => void): () => void;
  /** Stops listening; closes its connections. */
  stop(): Promise<void>;
}

/** Options of {@link startTypingChannel}. */
export interface TypingChannelOptions {
  /** Connection URL of the live reader role (it may LISTEN and NOTIFY, and read no content). */
  readonly url: string;
  readonly channel?: string;
  /** Reports a failed NOTIFY (its error type; the payload holds ids only anyway). */
  readonly onError?: (error: unknown) => void;
}

/** The payload: ids only, short keys (a NOTIFY payload is limited to 8000 bytes). */
interface Payload {
  readonly c: string;
  readonly v: string;
  readonly k: PersonRef["kind"];
  readonly p: string;
}

function encode(notice: TypingNotice): string {
  const payload: Payload = {
    c: notice.clinicId,
    v: notice.conversationId,
    k: notice.person.kind,
    p: notice.person.id,
  };
  return JSON.stringify(payload);
}

function decode(text: string): TypingNotice | null {
  try {
    const value = JSON.parse(text) as Partial<Payload>;
    if (typeof value.c !== "string" || typeof value.v !== "string" || typeof value.p !== "string")
      return null;
    if (value.k !== "staff" && value.k !== "patient") return null;
    return { clinicId: value.c, conversationId: value.v, person: { kind: value.k, id: value.p } };
  } catch {
    return null;
  }
}

/**
 * Opens the process's typing channel: postgres.js's LISTEN (its own connection, re-established by
 * postgres.js after a drop) and one connection for NOTIFY.
 */
export async function startTypingChannel(options: TypingChannelOptions): Promise<TypingChannel> {
  const channel = options.channel ?? typingChannelName;
  const sql = openPostgres(options.url, {
    max: 1,
    onnotice: () => undefined,
    connection: { application_name: "clinic-chat-typing" },
  });
  const listeners = new Set<(notice: TypingNotice) => void>();
  const listening = await sql
    .listen(channel, (payload) => {
      const notice = decode(payload);
      if (notice) for (const listener of listeners) listener(notice);
    })
    .catch(async (error: unknown) => {
      await sql.end({ timeout: 1 });
      throw error;
    });
  let stopped = false;
  return {
    async announce(notice) {
      if (stopped) return;
      await sql.notify(channel, encode(notice)).catch((error: unknown) => options.onError?.(error));
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      listeners.clear();
      await listening.unlisten().catch(() => undefined);
      await sql.end({ timeout: 1 });
    },
  };
}
