import type { Actor, ClinicChat, ConversationRecord, Message, PersonRef } from "@clinic-chat/domain";
import type {
  Bundle,
  BundleEntry,
  Communication,
  Patient,
  Practitioner,
  Reference,
} from "@medplum/fhirtypes";

/** The identifier systems of Clinic Chat's own ids in an export (INTEG-5). */
export const exportSystems = {
  conversation: "urn:clinic-chat:conversation",
  message: "urn:clinic-chat:message",
  file: "urn:clinic-chat:file",
  hostPatient: "urn:clinic-chat:host-patient",
} as const;

/**
 * A person as a FHIR reference: staff are Practitioners, patients Patients, by Clinic Chat's id.
 * The lead's FHIR endpoint may map them to the host's identifiers; the ids here are stable.
 */
function personReference(person: PersonRef): Reference<Patient | Practitioner> {
  return { reference: `${person.kind === "staff" ? "Practitioner" : "Patient"}/${person.id}` };
}

/**
 * One message as a Communication. A deleted message (DEL-3) keeps who sent it and when, with
 * status `entered-in-error` and no payload: the chart shows that something was withdrawn, never
 * what. A file is a reference to its content with type and size; its name stays out.
 */
function communication(record: ConversationRecord, message: Message): Communication {
  const subject: Reference<Patient> = {
    reference: `Patient/${record.patientId}`,
    ...(record.patientHostId
      ? { identifier: { system: exportSystems.hostPatient, value: record.patientHostId } }
      : {}),
  };
  const base: Communication = {
    resourceType: "Communication",
    id: message.id,
    identifier: [{ system: exportSystems.message, value: message.id }],
    status: message.body.kind === "deleted" ? "entered-in-error" : "completed",
    subject,
    sender: personReference(message.sender),
    recipient: record.participants
      .filter((p) => !(p.kind === message.sender.kind && p.id === message.sender.id))
      .map(personReference),
    sent: message.sentAt.toISOString(),
    partOf: [{ identifier: { system: exportSystems.conversation, value: record.conversation.id } }],
  };
  const body = message.body;
  if (body.kind === "text") return { ...base, payload: [{ contentString: body.text }] };
  if (body.kind === "file") {
    const file = record.files.get(body.fileId);
    return {
      ...base,
      payload: [
        {
          contentAttachment: {
            url: `${exportSystems.file}:${body.fileId}`,
            ...(file ? { contentType: file.contentType, size: file.sizeBytes } : {}),
          },
        },
      ],
    };
  }
  return base;
}

/**
 * A conversation as a FHIR R4 Bundle of type `collection` (INTEG-5): one Communication per message,
 * oldest first. `collection` rather than `document`: a document needs a Composition and an author
 * attesting it, which a chat transcript has no one to give.
 */
export function conversationBundle(record: ConversationRecord): Bundle<Communication> {
  const entry: BundleEntry<Communication>[] = record.messages.map((message) => ({
    fullUrl: `${exportSystems.message}:${message.id}`,
    resource: communication(record, message),
  }));
  return {
    resourceType: "Bundle",
    type: "collection",
    identifier: { system: exportSystems.conversation, value: record.conversation.id },
    timestamp: record.exportedAt.toISOString(),
    total: entry.length,
    entry,
  };
}

/**
 * Exports a conversation for the chart as Bundle JSON (INTEG-5): the domain's use case decides who
 * may (and audits it), this maps its record. What the staff app's download and the FHIR endpoint call.
 */
export async function exportConversationBundle(
  chat: Pick<ClinicChat, "exportConversation">,
  actor: Actor,
  conversationId: string,
): Promise<Bundle<Communication>> {
  return conversationBundle(await chat.exportConversation(actor, { conversationId }));
}
