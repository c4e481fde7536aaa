import { fileTypeFromBuffer } from "file-type";

/**
 * How many leading bytes are sampled, in turn. Signatures of PDF, JPEG, PNG and HEIC sit in the
 * first bytes; DOCX and XLSX are zip containers whose type shows in the names of the entries, which
 * usually come in the first kilobytes but can follow a large entry (a thumbnail, say). Never more
 * than 4 MiB, so a 25 MB upload is not read whole.
 */
const sampleSizes = [64 * 1024, 1024 * 1024, 4 * 1024 * 1024] as const;

/** Reads bytes `start` up to, not including, `end` of the object being checked. */
export type ReadObjectRange = (start: number, end: number) => Promise<Uint8Array>;

/**
 * The MIME type of an object of `sizeBytes` bytes sniffed from its leading bytes, or null when no
 * signature matched (plain text has none), with the leading bytes read to find it.
 */
export async function detectObjectType(
  sizeBytes: number,
  readRange: ReadObjectRange,
): Promise<{ readonly mime: string | null; readonly sample: Uint8Array }> {
  let sample: Uint8Array = new Uint8Array(0);
  let mime: string | null = null;
  for (const sampleSize of sampleSizes) {
    const end = Math.min(sampleSize, sizeBytes);
    if (end > sample.length) {
      const more = await readRange(sample.length, end);
      // The object shrank since its size was read: sniff what there is.
      if (more.length === 0) break;
      sample = concat(sample, more);
    }
    mime = (await fileTypeFromBuffer(sample))?.mime ?? null;
    // A generic zip may be an office document whose telling entries lie further on; anything else
    // is settled by the first bytes.
    if (mime !== "application/zip" || sample.length >= sizeBytes) break;
  }
  return { mime, sample };
}

function concat(head: Uint8Array, tail: Uint8Array): Uint8Array {
  const joined = new Uint8Array(head.length + tail.length);
  joined.set(head, 0);
  joined.set(tail, head.length);
  return joined;
}
