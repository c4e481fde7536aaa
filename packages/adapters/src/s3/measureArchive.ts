import type { ArchiveMeasure } from "@clinic-chat/domain/files";
import { fromBufferPromise } from "yauzl";

/**
 * How far a zip container's entries inflate (FILE-5), counted until they pass `limit`. The sizes
 * the central directory declares are summed first, so an honest bomb costs no inflating at all;
 * then every entry is inflated and counted, and yauzl refuses an entry that inflates past the size
 * it declares, so a lying bomb stops after its declared bytes.
 */
export async function measureArchive(bytes: Uint8Array, limit: number): Promise<ArchiveMeasure> {
  let zip: Awaited<ReturnType<typeof fromBufferPromise>>;
  try {
    zip = await fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch {
    return { inflatedBytes: 0, intact: false };
  }
  try {
    const entries = [];
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      if (declared > limit) return { inflatedBytes: declared, intact: true };
      entries.push(entry);
    }
    let inflated = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith("/")) continue;
      const stream = await zip.openReadStreamPromise(entry);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > limit) {
          stream.destroy();
          return { inflatedBytes: inflated, intact: true };
        }
      }
    }
    return { inflatedBytes: inflated, intact: true };
  } catch {
    // Truncated, encrypted with an unknown method, or an entry inflating past its declared size.
    return { inflatedBytes: 0, intact: false };
  } finally {
    zip.close();
  }
}
