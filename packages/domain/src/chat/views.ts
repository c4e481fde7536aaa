import type { StoredFile } from "../files/StoredFile";
import type { Patient, PersonRef, StaffMember } from "../people/people";
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

/** A person as others see them in a conversation: name and kind, nothing more. */
export interface PersonView {
  readonly kind: "staff" | "patient";
  readonly id: string;
  readonly name: string;
  /** For staff: their role; null for patients. */
  readonly role: StaffMember["role"] | null;
  /** False for deactivated staff and patients without an active portal account. */
  readonly active: boolean;
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

/** The view of a staff member. */
export function staffView(staff: StaffMember): PersonView {
  return { kind: "staff", id: staff.id, name: staff.name, role: staff.role, active: staff.active };
}

/** The view of a patient. */
export function patientView(patient: Patient): PersonView {
  return {
    kind: "patient",
    id: patient.id,
    name: patient.name,
    role: null,
    active: patient.portalAccount === "active",
  };
}

/** Views of the given people of the current clinic; unknown ones are left out. */
export async function personViews(stores: Stores, people: readonly PersonRef[]): Promise<PersonView[]> {
  const staffIds = [...new Set(people.filter((p) => p.kind === "staff").map((p) => p.id))];
  const patientIds = [...new Set(people.filter((p) => p.kind === "patient").map((p) => p.id))];
  const staff = await stores.directory.staffMembers(staffIds);
  const patients = await Promise.all(patientIds.map((id) => stores.directory.patient(id)));
  return [...staff.map(staffView), ...patients.filter((p): p is Patient => p !== null).map(patientView)];
}
