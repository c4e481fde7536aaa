import type { StoredFile } from "../files/StoredFile";
import type { PersonRef } from "../people/people";
import type { Stores } from "../shared/UnitOfWork";
import type { Message } from "./Message";

/** A file as a participant sees it: its name as uploaded, never its storage key. */
export interface FileView {
  readonly id: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly contentType: string;
}

/** A message as a participant sees it. */
export interface MessageView {
  readonly id: string;
  readonly conversationId: string;
  readonly seq: number;
  readonly clientId: string;
  readonly sender: PersonRef;
  readonly sentAt: Date;
  readonly body:
    | { readonly kind: "text"; readonly text: string }
    | { readonly kind: "file"; readonly file: FileView }
    | { readonly kind: "deleted"; readonly deletedAt: Date; readonly deletedBy: PersonRef };
}

/** The view of a message; a file message whose record is gone reads as deleted. */
export function messageView(message: Message, file: StoredFile | null): MessageView {
  const { body, clinicId: _clinic, ...rest } = message;
  if (body.kind === "file") {
    if (!file)
      return { ...rest, body: { kind: "deleted", deletedAt: message.sentAt, deletedBy: message.sender } };
    return {
      ...rest,
      body: {
        kind: "file",
        file: { id: file.id, name: file.name, sizeBytes: file.sizeBytes, contentType: file.contentType },
      },
    };
  }
  return { ...rest, body };
}

/** Loads the files of file messages and returns their views. */
export async function messageViews(stores: Stores, messages: readonly Message[]): Promise<MessageView[]> {
  return Promise.all(
    messages.map(async (message) =>
      messageView(message, message.body.kind === "file" ? await stores.files.get(message.body.fileId) : null),
    ),
  );
}
