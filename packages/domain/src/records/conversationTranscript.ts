import type { Conversation } from "../chat/Conversation";
import { loadConversationFor } from "../chat/loadConversation";
import type { Clinic } from "../clinic/Clinic";
import { canExportConversation, wholeHistory } from "../export/exportConversation";
import type { Actor, PersonRef } from "../people/people";
import { type PersonView, personViews } from "../people/personViews";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";

/** One line of a transcript: who wrote when, and the text, the file, or that it was deleted (DEL-3). */
export interface TranscriptEntry {
  readonly seq: number;
  readonly sender: PersonRef;
  readonly sentAt: Date;
  readonly body:
    | { readonly kind: "text"; readonly text: string }
    | {
        readonly kind: "file";
        readonly name: string;
        readonly sizeBytes: number;
        readonly contentType: string;
      }
    | { readonly kind: "deleted" };
}

/**
 * A conversation as its PDF shows it (REC-5): the clinic with its time zone (the edge formats every
 * time in it), who took part and who wrote, and every message oldest first; a deleted message or a
 * file whose record is gone is only a content-free line.
 */
export interface ConversationTranscript {
  readonly clinic: Pick<Clinic, "id" | "name" | "timeZone">;
  readonly conversation: Conversation;
  readonly participants: readonly PersonView[];
  /** Everyone named in the transcript (participants and authors), by `kind:id`. */
  readonly people: ReadonlyMap<string, PersonView>;
  readonly entries: readonly TranscriptEntry[];
  readonly exportedAt: Date;
}

/**
 * REC-5: a staff participant exports a patient conversation as a transcript for the chart or a
 * patient's request for their records; patients may not (FORBIDDEN), anyone else gets NOT_FOUND
 * (ELIG-5). Every export is audited as its own action (SEC-3).
 */
export function conversationTranscript(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string },
): Promise<ConversationTranscript> {
  return audited(deps, actor, "conversation.export_pdf", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    assertAllowed(canExportConversation(access.person, access.conversation));
    const messages = await wholeHistory(stores, access.conversation.id);
    const entries: TranscriptEntry[] = [];
    for (const message of messages) {
      const { seq, sender, sentAt, body } = message;
      if (body.kind === "text") entries.push({ seq, sender, sentAt, body });
      else if (body.kind === "deleted") entries.push({ seq, sender, sentAt, body: { kind: "deleted" } });
      else {
        const file = await stores.files.get(body.fileId);
        entries.push({
          seq,
          sender,
          sentAt,
          body:
            file?.state === "ready"
              ? { kind: "file", name: file.name, sizeBytes: file.sizeBytes, contentType: file.contentType }
              : { kind: "deleted" },
        });
      }
    }
    const participantRefs = access.participants.map((p) => p.ref);
    const views = await personViews(stores, [...participantRefs, ...messages.map((m) => m.sender)]);
    const people = new Map(views.map((v) => [`${v.kind}:${v.id}`, v]));
    return {
      clinic: { id: access.clinic.id, name: access.clinic.name, timeZone: access.clinic.timeZone },
      conversation: access.conversation,
      participants: participantRefs.flatMap((p) => people.get(`${p.kind}:${p.id}`) ?? []),
      people,
      entries,
      exportedAt: deps.clock.now(),
    };
  });
}
