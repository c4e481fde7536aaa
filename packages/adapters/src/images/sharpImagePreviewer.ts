/// <reference path="./heic-decode.d.ts" />
import type { ImagePreviewer, Rendition, RenditionName } from "@clinic-chat/domain/files";
import { previewRules } from "@clinic-chat/domain/files";
import decodeHeic from "heic-decode";
import sharp, { type Sharp } from "sharp";

/** How hard each rendition is compressed: thumbnails are small, the display size is looked at closely. */
const quality: Record<RenditionName, number> = { thumbnail: 70, display: 82 };

/**
 * The domain's ImagePreviewer on sharp (libvips), FILE-7. JPEG and PNG are decoded by libvips;
 * HEIC through `heic-decode` (libheif in WebAssembly), because the libvips sharp ships reads only
 * the AV1 kind of HEIF, not the HEVC an iPhone writes. Each rendition is turned upright from the
 * EXIF orientation, scaled to fit within its size (never enlarged) and encoded as WebP; sharp
 * writes no metadata unless asked, so no EXIF, GPS, XMP or ICC profile of the original is copied.
 */
export function createSharpImagePreviewer(options: { readonly concurrency?: number } = {}): ImagePreviewer {
  if (options.concurrency) sharp.concurrency(options.concurrency);
  return {
    async render(original, contentType, sizes) {
      try {
        const source = await openImage(original, contentType);
        if (!source) return null;
        const made: Partial<Record<RenditionName, Rendition>> = {};
        for (const [name, pixels] of Object.entries(sizes) as [RenditionName, number][]) {
          const { data, info } = await source
            .clone()
            .resize({ width: pixels, height: pixels, fit: "inside", withoutEnlargement: true })
            .webp({ quality: quality[name] })
            .toBuffer({ resolveWithObject: true });
          made[name] = { bytes: new Uint8Array(data), width: info.width, height: info.height };
        }
        return made as Record<RenditionName, Rendition>;
      } catch (error) {
        // Bytes that pass the type check but do not decode (truncated, hostile): no preview.
        if (isDecodeFailure(error)) return null;
        throw error;
      }
    },
  };
}

/** The image as sharp input, upright, or null when its size is past the rules. */
async function openImage(original: Uint8Array, contentType: string): Promise<Sharp | null> {
  const limitInputPixels = previewRules.maxInputPixels;
  if (contentType.toLowerCase() === "image/heic") {
    // The primary image's size is read before its pixels are decoded: a bomb is refused early.
    const images = await decodeHeic.all({ buffer: original });
    let image: Awaited<ReturnType<NonNullable<(typeof images)[0]>["decode"]>>;
    try {
      const primary = images[0];
      if (!primary || primary.width * primary.height > limitInputPixels) return null;
      image = await primary.decode();
    } finally {
      images.dispose();
    }
    return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
      raw: { width: image.width, height: image.height, channels: 4 },
      limitInputPixels,
    });
  }
  const source = sharp(original, { limitInputPixels, failOn: "error" });
  // Turns the pixels upright from the EXIF orientation before the metadata is dropped.
  return source.rotate();
}

function isDecodeFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /Input|unsupported|corrupt|premature|pixel limit|VipsJpeg|pngload|heif|decode|bad/i.test(
    error.message,
  );
}
