import sharp from "sharp";

/** A photo of `width` × `height` with noise, so it does not compress to nothing (its size is realistic). */
export async function photoJpeg(width: number, height: number, hue = 30): Promise<Buffer> {
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  for (let i = 0; i < pixels.length; i += channels) {
    const noise = (i * 2654435761) >>> 24;
    pixels[i] = (hue * 3 + noise) & 0xff;
    pixels[i + 1] = (120 + (noise >> 1)) & 0xff;
    pixels[i + 2] = (200 - (noise >> 2)) & 0xff;
  }
  return sharp(pixels, { raw: { width, height, channels } }).jpeg({ quality: 92 }).toBuffer();
}

/** A flat-coloured PNG, as a screenshot pasted from the clipboard. */
export function screenshotPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 110, b: 180 } } })
    .png()
    .toBuffer();
}

/** A real PDF of `pages` pages, each with a line of text, with a correct cross-reference table. */
export function textPdf(pages: number): Buffer {
  const objects: string[] = [];
  const pageIds = Array.from({ length: pages }, (_, i) => 4 + i * 2);
  objects[1] = "<</Type/Catalog/Pages 2 0 R>>";
  objects[2] = `<</Type/Pages/Kids[${pageIds.map((id) => `${id} 0 R`).join(" ")}]/Count ${pages}>>`;
  objects[3] = "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>";
  for (let i = 0; i < pages; i++) {
    const text = `BT /F1 24 Tf 72 720 Td (Lab results, page ${i + 1}) Tj ET`;
    objects[pageIds[i]!] =
      `<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 3 0 R>>>>/Contents ${pageIds[i]! + 1} 0 R>>`;
    objects[pageIds[i]! + 1] = `<</Length ${text.length}>>\nstream\n${text}\nendstream`;
  }
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = body.length;
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<</Size ${objects.length}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}
