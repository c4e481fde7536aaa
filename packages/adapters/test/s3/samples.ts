/**
 * Small but well-formed files of every type FILE-1 allows, and a few it does not, built in code so
 * the tests need no binary fixtures.
 */
import { crc32, deflateRawSync, deflateSync } from "node:zlib";

const text = new TextEncoder();

/** A one-page PDF with a correct cross-reference table. */
export function pdfSample(): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return text.encode(body);
}

/** A 1×1 grey PNG. */
export function pngSample(): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typeAndData));
    return Buffer.concat([length, typeAndData, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const scanline = Buffer.from([0, 0x80]); // filter type none, one grey pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(scanline)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/**
 * An 8×8 mid-grey baseline JFIF: one block whose coefficients are all zero, coded with one-symbol
 * Huffman tables.
 */
export function jpegSample(): Uint8Array {
  const segment = (marker: number, payload: number[]): number[] => [
    0xff,
    marker,
    (payload.length + 2) >> 8,
    (payload.length + 2) & 0xff,
    ...payload,
  ];
  const oneSymbolTable = (tableClassAndId: number): number[] => [
    tableClassAndId,
    1,
    ...Array<number>(15).fill(0),
    0x00,
  ];
  return Uint8Array.from([
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0x00, ...Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    ...segment(0xc4, oneSymbolTable(0x00)),
    ...segment(0xc4, oneSymbolTable(0x10)),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    // DC difference category 0 ("0"), end of block ("0"), padded with ones.
    0x3f,
    0xff,
    0xd9,
  ]);
}

/** The `ftyp` box that starts every HEIC photo. */
export function heicSample(): Uint8Array {
  return Uint8Array.from([
    ...[0, 0, 0, 0x18],
    ...text.encode("ftypheic"),
    ...[0, 0, 0, 0],
    ...text.encode("mif1heic"),
  ]);
}

/** A clinic letter as UTF-8 text: no signature to detect. */
export function textSample(): Uint8Array {
  return text.encode("Dear patient,\nyour results are ready. Größe: 180 cm.\n");
}

/** The header of a Linux executable. */
export function elfSample(): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  bytes.set([2, 0, 0x3e, 0], 16); // executable, x86-64
  return bytes;
}

/** The header of a Windows executable. */
export function exeSample(): Uint8Array {
  const bytes = new Uint8Array(128);
  bytes.set([0x4d, 0x5a]);
  return bytes;
}

/** A web page with a script. */
export function htmlSample(): Uint8Array {
  return text.encode("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n");
}

/**
 * One file in a zip archive; `store` keeps it uncompressed; `packed` gives data deflated beforehand
 * with its CRC and the size the archive declares for it (honest or not).
 */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
  readonly store?: boolean;
  readonly packed?: { readonly deflated: Uint8Array; readonly crc: number; readonly declaredSize: number };
}

/** A zip archive with local headers, central directory and end record, as Office writes them. */
export function zipArchive(entries: readonly ZipEntry[]): Uint8Array {
  const dosDate = (1 << 5) | 1; // 1980-01-01
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const method = entry.store && !entry.packed ? 0 : 8;
    const data = entry.packed
      ? Buffer.from(entry.packed.deflated)
      : entry.store
        ? Buffer.from(entry.data)
        : deflateRawSync(entry.data);
    const crc = entry.packed ? entry.packed.crc : crc32(entry.data);
    const size = entry.packed ? entry.packed.declaredSize : entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

const xmlHeader = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
export const relationshipTypes = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

export function contentTypes(overrides: Readonly<Record<string, string>>): ZipEntry {
  const parts = Object.entries(overrides)
    .map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`)
    .join("");
  return xmlEntry(
    "[Content_Types].xml",
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      `<Default Extension="xml" ContentType="application/xml"/>${parts}</Types>`,
  );
}

export function relationships(name: string, targets: Readonly<Record<string, string>>): ZipEntry {
  const rels = Object.entries(targets)
    .map(([type, target], index) => `<Relationship Id="rId${index + 1}" Type="${type}" Target="${target}"/>`)
    .join("");
  return xmlEntry(
    name,
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
  );
}

export function xmlEntry(name: string, xml: string): ZipEntry {
  return { name, data: text.encode(xmlHeader + xml) };
}

/**
 * A one-paragraph Word document. With `leadingThumbnailBytes`, a stored thumbnail of that size
 * comes first and `[Content_Types].xml` last, as some producers order them, so detection has to
 * look past the first bytes.
 */
export function docxSample(options: { readonly leadingThumbnailBytes?: number } = {}): Uint8Array {
  const types = contentTypes({
    "/word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
  });
  const parts: ZipEntry[] = [
    relationships("_rels/.rels", { [`${relationshipTypes}/officeDocument`]: "word/document.xml" }),
    xmlEntry(
      "word/document.xml",
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        "<w:body><w:p><w:r><w:t>Your results are ready.</w:t></w:r></w:p></w:body></w:document>",
    ),
  ];
  const thumbnailBytes = options.leadingThumbnailBytes;
  if (thumbnailBytes === undefined) return zipArchive([types, ...parts]);
  const thumbnail = new Uint8Array(thumbnailBytes).map((_, index) => (index * 7919) & 0xff);
  return zipArchive([{ name: "docProps/thumbnail.jpeg", data: thumbnail, store: true }, ...parts, types]);
}

/** A one-sheet Excel workbook. */
export function xlsxSample(): Uint8Array {
  const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  return zipArchive([
    contentTypes({
      "/xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
      "/xl/worksheets/sheet1.xml":
        "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    }),
    relationships("_rels/.rels", { [`${relationshipTypes}/officeDocument`]: "xl/workbook.xml" }),
    xmlEntry(
      "xl/workbook.xml",
      `<workbook xmlns="${main}" xmlns:r="${relationshipTypes}">` +
        '<sheets><sheet name="Results" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    relationships("xl/_rels/workbook.xml.rels", {
      [`${relationshipTypes}/worksheet`]: "worksheets/sheet1.xml",
    }),
    xmlEntry(
      "xl/worksheets/sheet1.xml",
      `<worksheet xmlns="${main}"><sheetData><row r="1"><c r="A1"><v>42</v></c></row></sheetData></worksheet>`,
    ),
  ]);
}
