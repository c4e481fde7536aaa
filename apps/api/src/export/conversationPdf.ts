import type { Actor, ClinicChat } from "@clinic-chat/domain";
import type { ConversationTranscript, TranscriptEntry } from "@clinic-chat/domain/records";
import PDFDocument from "pdfkit";

/** What every content-free line says in place of a deleted message or file (DEL-3). */
export const deletedLine = "Message deleted";

const margin = 56;

/** "Mar 3, 2026, 9:15 AM" on the clinic's clock. */
function clinicTime(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
  return (at) => format.format(at);
}

/** "12.3 KB": a file's size as people read it. */
export function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function lineOf(entry: TranscriptEntry): string {
  const body = entry.body;
  if (body.kind === "text") return body.text;
  if (body.kind === "file") return `File: ${body.name} (${readableSize(body.sizeBytes)})`;
  return deletedLine;
}

/**
 * The transcript as a PDF (REC-5): the clinic, the participants, every message with its author
 * and time in the clinic's zone, files by name and size, deleted messages as content-free lines,
 * and page numbers. The document's metadata names nothing: no patient in a file's properties.
 */
export function transcriptPdf(transcript: ConversationTranscript): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "LETTER",
    margin,
    bufferPages: true,
    info: { Title: "Conversation transcript" },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const time = clinicTime(transcript.clinic.timeZone);
  const nameOf = (ref: { kind: string; id: string }) =>
    transcript.people.get(`${ref.kind}:${ref.id}`)?.name ?? "Former member";
  const width = doc.page.width - 2 * margin;

  doc.font("Helvetica-Bold").fontSize(16).text(transcript.clinic.name, { width });
  doc.font("Helvetica").fontSize(11).text("Conversation transcript", { width });
  doc.moveDown(0.5);
  doc.fontSize(9).fillColor("#4f5d6b");
  doc.text(
    `Exported ${time(transcript.exportedAt)}. Times are in the clinic's time zone, ${transcript.clinic.timeZone}.`,
    {
      width,
    },
  );
  doc.fillColor("#000000").moveDown();
  doc.font("Helvetica-Bold").fontSize(11).text("Participants", { width });
  doc.font("Helvetica").fontSize(10);
  for (const person of transcript.participants) {
    const role =
      person.kind === "patient"
        ? `patient${person.dateOfBirth ? `, born ${person.dateOfBirth}` : ""}`
        : person.role;
    doc.text(`${person.name} (${role})`, { width });
  }
  doc.moveDown();
  doc.font("Helvetica-Bold").fontSize(11).text(`Messages (${transcript.entries.length})`, { width });
  doc.moveDown(0.3);
  for (const entry of transcript.entries) {
    doc.font("Helvetica-Bold").fontSize(9).fillColor("#4f5d6b");
    doc.text(`${nameOf(entry.sender)} · ${time(entry.sentAt)}`, { width });
    const deleted = entry.body.kind === "deleted";
    doc
      .font(deleted ? "Helvetica-Oblique" : "Helvetica")
      .fontSize(10)
      .fillColor(deleted ? "#4f5d6b" : "#000000");
    doc.text(lineOf(entry), { width });
    doc.moveDown(0.4);
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.font("Helvetica").fontSize(8).fillColor("#4f5d6b");
    // Written inside the bottom margin: lifted for the footer so the text adds no page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.text(
      `${transcript.clinic.name} · Page ${i + 1} of ${range.count}`,
      margin,
      doc.page.height - margin / 2,
      {
        width,
        align: "center",
        lineBreak: false,
      },
    );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/**
 * Exports a conversation as a PDF (REC-5): the domain decides who may and audits it; this renders
 * its transcript. The file is named by the conversation's id, never by a person.
 */
export async function exportConversationPdf(
  chat: Pick<ClinicChat, "conversationTranscript">,
  actor: Actor,
  conversationId: string,
): Promise<{ fileName: string; contentBase64: string }> {
  const pdf = await transcriptPdf(await chat.conversationTranscript(actor, { conversationId }));
  return { fileName: `conversation-${conversationId}.pdf`, contentBase64: pdf.toString("base64") };
}
