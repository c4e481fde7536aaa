import { archiveTypes, type BlobInspection, type InspectionLimits } from "@clinic-chat/domain/files";
import { detectObjectType, type ReadObjectRange } from "./detectObjectType";
import { measureArchive } from "./measureArchive";
import { hidesMarkup, textType } from "./textFacts";

/**
 * The facts the domain's file rules need about an object of `sizeBytes` bytes (FILE-1, FILE-5):
 * its signature's type from the leading bytes; for bytes without one, whether they are plain text;
 * markup hidden behind a signature; how far a zip container inflates. Only text and zip containers
 * are read whole, and only within the size limit, so a file refused for its size costs one sample.
 */
export async function inspectObject(
  sizeBytes: number,
  readRange: ReadObjectRange,
  limits: InspectionLimits,
): Promise<BlobInspection> {
  if (sizeBytes === 0) return { sizeBytes, detectedType: null };
  const { mime, sample } = await detectObjectType(sizeBytes, readRange);
  if (sizeBytes > limits.maxBytes) return { sizeBytes, detectedType: mime };
  const whole = async () => (sample.length >= sizeBytes ? sample : readRange(0, sizeBytes));
  if (mime === null) return { sizeBytes, detectedType: textType(await whole()) };
  const inspection = { sizeBytes, detectedType: mime, hidesMarkup: hidesMarkup(sample) };
  if (!archiveTypes.has(mime)) return inspection;
  return { ...inspection, archive: await measureArchive(await whole(), limits.inflateLimit(sizeBytes)) };
}
