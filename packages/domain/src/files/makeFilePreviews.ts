import type { ChatDeps } from "../shared/deps";
import { type FilePreviewJob, previewKindOf, previewRules, renditionKey, renditionNames } from "./previews";
import { fileRules } from "./StoredFile";

/**
 * FILE-7: makes the renditions of one shared image, as the preview job. They are stored as
 * objects of their own under keys derived from the file's random key, then the file notes them.
 * An image that cannot be decoded notes the failure and shows as a file card. Either way the
 * conversation's event log says so, so the pages showing it ask once. A file deleted
 * meanwhile leaves nothing behind: renditions stored after its deletion are removed (DEL-2).
 */
export async function makeFilePreviews(
  deps: ChatDeps,
  job: FilePreviewJob,
): Promise<"made" | "failed" | "not_waiting"> {
  const { previewer } = deps;
  if (!previewer) throw new Error("makeFilePreviews needs an image previewer");
  const file = await deps.uow.run(job.clinicId, (stores) => stores.files.get(job.fileId));
  if (file?.state !== "ready" || file.preview || previewKindOf(file.contentType) !== "image")
    return "not_waiting";
  const content = await deps.blobs.read(file.storageKey);
  const original = content ? await collect(content, fileRules.maxBytes) : null;
  const renditions = original
    ? await previewer.render(original, file.contentType, {
        thumbnail: previewRules.thumbnailPixels,
        display: previewRules.displayPixels,
      })
    : null;
  if (renditions) {
    for (const name of renditionNames) {
      const rendition = renditions[name];
      await deps.blobs.write(
        renditionKey(file.storageKey, name),
        rendition.bytes,
        previewRules.renditionType,
      );
    }
  }
  const kept = await deps.uow.run(job.clinicId, async (stores) => {
    if (!(await stores.files.get(file.id))) return false;
    const display = renditions?.display;
    await stores.files.notePreview(
      file.id,
      display ? { state: "ready", width: display.width, height: display.height } : { state: "failed" },
    );
    // The conversation's open pages ask for the renditions once, on this event, instead of asking
    // until they are made: each ask is an audited link (FILE-3). Ids only, like every event.
    await stores.events.append([
      {
        clinicId: job.clinicId,
        conversationId: file.conversationId,
        type: "file.preview_ready",
        messageId: null,
        person: null,
        seq: null,
        at: deps.clock.now(),
      },
    ]);
    return true;
  });
  if (!kept) {
    for (const name of renditionNames) await deps.blobs.remove(renditionKey(file.storageKey, name));
    return "not_waiting";
  }
  return renditions ? "made" : "failed";
}

/** The bytes of a stream, refusing more than `maxBytes`. */
async function collect(content: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of content) {
    size += part.byteLength;
    if (size > maxBytes) return null;
    parts.push(part);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}
